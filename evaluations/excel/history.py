"""The 历史 tab as a workbook: one sheet, a header row, then one line per recorded change."""

import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from evaluations.selectors.history import HistoryRow

# Column widths in characters, in the order of the header.
WIDTHS = (18, 10, 16, 8, 22, 22, 24, 24, 24, 30)


def history_workbook(rows: Iterable[HistoryRow]) -> bytes:
    """The rows as .xlsx bytes; cells are text as the page shows them, never formulas."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = _("历史")
    sheet.append(
        [
            _("时间"),
            _("人员"),
            _("来源地址"),
            _("类型"),
            _("栏目"),
            _("行"),
            _("项目"),
            _("原值"),
            _("新值"),
            _("理由"),
        ]
    )
    for row in rows:
        sheet.append(
            [
                timezone.localtime(row.when).strftime("%Y-%m-%d %H:%M:%S"),
                row.who,
                row.address,
                row.kind_label,
                row.section,
                row.row,
                row.field,
                row.old,
                row.new,
                row.reason,
            ]
        )
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            # A value someone typed that starts like a formula stays text.
            cell.data_type = "s"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
