"""The seeds' real figures, entered into the demo evaluations by `load_demo`.

Each module exposes `load(evaluation) -> None`, fills only what is still empty (so re-running
`load_demo` never overwrites a user's changes) and ignores evaluations it has no figures for.
Seeds' own inconsistencies are entered as published: the validation panel must point them out.
"""

from collections.abc import Callable

from evaluations.demo.figures import assets, basic, funds, hunan, report, scores, targets
from evaluations.models import Evaluation

LOADERS: list[Callable[[Evaluation], None]] = [
    basic.load,
    funds.load,
    assets.load,
    targets.load,
    hunan.load,
    report.load,
    scores.load,
]


def load_figures(evaluation: Evaluation) -> None:
    for load in LOADERS:
        load(evaluation)
