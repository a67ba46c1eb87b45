/* The report's rich-text editor: Quill 2 (static/vendor/quill) over each chapter's textarea.

   Progressive enhancement: without JavaScript the textarea is the form. With it, the textarea is
   hidden and kept in step with the editor — its value is the editor's HTML, and after a pause in
   typing (or when the editor loses focus) a bubbling "change" event starts the section's autosave
   (hx-trigger="change, submit" on its form). The server sanitises what is saved; the editor only
   keeps the formats the report allows, so pasting from Word keeps paragraphs, headings, lists and
   tables and drops fonts, colours and sizes. The toolbar's words come from the page
   (#report-editor-labels, translated by Django). */
(function () {
  "use strict";

  var PAUSE_MS = 800;
  // What a chapter may hold (evaluations/tables/narrative.py ALLOWED_TAGS); nothing else survives
  // a paste.
  var FORMATS = ["header", "bold", "italic", "list", "indent", "blockquote", "table"];

  function labelsOf() {
    var source = document.getElementById("report-editor-labels");
    return source ? source.dataset : {};
  }

  function button(className, label, value) {
    var element = document.createElement("button");
    element.type = "button";
    element.className = className;
    if (value) { element.value = value; }
    element.title = label;
    element.setAttribute("aria-label", label);
    return element;
  }

  function textButton(className, label, text) {
    var element = button(className + " report-editor-text", label);
    element.textContent = text;
    return element;
  }

  function group(children) {
    var element = document.createElement("span");
    element.className = "ql-formats";
    children.forEach(function (child) { element.appendChild(child); });
    return element;
  }

  function headingPicker(labels) {
    var select = document.createElement("select");
    select.className = "ql-header";
    select.title = labels.heading;
    select.setAttribute("aria-label", labels.heading);
    [["3", labels.heading3], ["4", labels.heading4], ["", labels.paragraph]].forEach(function (pair) {
      var option = document.createElement("option");
      if (pair[0]) { option.value = pair[0]; } else { option.selected = true; }
      option.textContent = pair[1];
      select.appendChild(option);
    });
    return select;
  }

  function toolbar(labels) {
    var element = document.createElement("div");
    element.className = "report-editor-toolbar";
    element.setAttribute("role", "toolbar");
    element.setAttribute("aria-label", labels.toolbar);
    element.appendChild(group([headingPicker(labels)]));
    element.appendChild(group([button("ql-bold", labels.bold), button("ql-italic", labels.italic)]));
    element.appendChild(group([
      button("ql-list", labels.ordered, "ordered"),
      button("ql-list", labels.bullet, "bullet"),
    ]));
    element.appendChild(group([
      textButton("ql-table-insert", labels.tableInsert, labels.tableInsertShort),
      textButton("ql-table-row", labels.tableRow, labels.tableRowShort),
      textButton("ql-table-column", labels.tableColumn, labels.tableColumnShort),
      textButton("ql-table-delete-row", labels.tableDeleteRow, labels.tableDeleteRowShort),
      textButton("ql-table-delete-column", labels.tableDeleteColumn, labels.tableDeleteColumnShort),
      textButton("ql-table-delete", labels.tableDelete, labels.tableDeleteShort),
    ]));
    return element;
  }

  function tableHandlers(getQuill) {
    // A new table goes on a line of its own, below the line the cursor is on (Quill would turn
    // that line, words and all, into the table's first row).
    function insertTable(quill, table) {
      var range = quill.getSelection(true);
      var found = quill.getLine(range.index);
      var line = found[0];
      if (line && line.length() > 1) {
        var end = range.index + line.length() - 1 - found[1];
        quill.insertText(end, "\n", "user");
        quill.setSelection(end + 1, 0, "silent");
      }
      table.insertTable(3, 3);
    }
    function run(action) {
      return function () {
        var quill = getQuill();
        var table = quill.getModule("table");
        if (!quill.getSelection()) { quill.focus(); }
        if (action === "insertTable") { insertTable(quill, table); } else { table[action](); }
      };
    }
    return {
      "table-insert": run("insertTable"),
      "table-row": run("insertRowBelow"),
      "table-column": run("insertColumnRight"),
      "table-delete-row": run("deleteRow"),
      "table-delete-column": run("deleteColumn"),
      "table-delete": run("deleteTable"),
    };
  }

  // Word's and the browser's heading levels fold onto the report's two (h3, h4).
  function foldHeadings(node, delta) {
    delta.ops.forEach(function (op) {
      if (op.attributes && op.attributes.header) {
        op.attributes.header = op.attributes.header <= 3 ? 3 : 4;
      }
    });
    return delta;
  }

  // Pasted HTML is read without inline styles: this site's Content-Security-Policy (style-src
  // 'self') refuses them, and Chromium reports every one even in the detached document Quill
  // parses a paste into. So style attributes become data-style and <style> blocks inert
  // <template>s (whose text Word's list formats are still read from) before Quill parses them;
  // what the styles meant that the report keeps — Word's list paragraphs, bold, italic — is
  // rebuilt below from data-style.
  function withoutInlineStyles(html) {
    return html
      .replace(/<style\b[^>]*>([\s\S]*?)<\/style>/gi, "<template>$1</template>")
      .replace(/(<[a-z][^>]*?\s)style(\s*=)/gi, "$1data-style$2");
  }

  var WORD_LIST = /\bmso-list:[^;]*\bl(\d+)[^;]*\blevel(\d+)/i;
  var WORD_LIST_MARKER = /\bmso-list:[^;]*ignore/i;

  // Word writes a list as paragraphs styled "mso-list: l0 level1 lfo1", each starting with its
  // number or bullet in a span styled "mso-list: Ignore"; the list's kind is in <style>.
  function wordLists(doc) {
    if (doc.documentElement.getAttribute("xmlns:w") !== "urn:schemas-microsoft-com:office:word") {
      return;
    }
    var styled = Array.from(doc.querySelectorAll("[data-style*=mso-list]"));
    styled.filter(function (node) { return WORD_LIST_MARKER.test(node.getAttribute("data-style")); })
      .forEach(function (node) { node.remove(); });
    var formats = doc.documentElement.innerHTML;
    var items = styled.filter(function (node) { return node.isConnected && WORD_LIST.test(node.getAttribute("data-style")); });
    while (items.length) {
      var first = items.shift();
      var match = first.getAttribute("data-style").match(WORD_LIST);
      var group = [first];
      while (items.length && items[0] === group[group.length - 1].nextElementSibling &&
             items[0].getAttribute("data-style").match(WORD_LIST)[1] === match[1]) {
        group.push(items.shift());
      }
      var format = new RegExp("@list l" + match[1] + ":level1\\s*\\{[^}]*mso-level-number-format:\\s*([\\w-]+)", "i")
        .exec(formats);
      var list = doc.createElement(format && format[1] === "bullet" ? "ul" : "ol");
      group.forEach(function (paragraph) {
        var item = doc.createElement("li");
        var level = Number(paragraph.getAttribute("data-style").match(WORD_LIST)[2]);
        if (level > 1) { item.className = "ql-indent-" + (level - 1); }
        while (paragraph.firstChild) { item.appendChild(paragraph.firstChild); }
        list.appendChild(item);
      });
      first.replaceWith(list);
      group.slice(1).forEach(function (paragraph) { paragraph.remove(); });
    }
  }

  // Bold and italic written as styles (WPS, Google Docs) become <strong> and <em>.
  function styledEmphasis(doc) {
    doc.querySelectorAll("[data-style]").forEach(function (node) {
      var style = node.getAttribute("data-style");
      [[/font-weight:\s*(bold|[6-9]00)/i, "strong"], [/font-style:\s*italic/i, "em"]].forEach(function (pair) {
        if (!pair[0].test(style)) { return; }
        var wrapper = doc.createElement(pair[1]);
        while (node.firstChild) { wrapper.appendChild(node.firstChild); }
        node.appendChild(wrapper);
      });
    });
  }

  function readPastesWithoutStyles(clipboard) {
    var convertHTML = clipboard.convertHTML.bind(clipboard);
    var normalizeHTML = clipboard.normalizeHTML.bind(clipboard);
    clipboard.convertHTML = function (html) { return convertHTML(withoutInlineStyles(html)); };
    clipboard.normalizeHTML = function (doc) {
      wordLists(doc);
      styledEmphasis(doc);
      normalizeHTML(doc);
    };
  }

  function htmlOf(quill) {
    var hasTable = quill.root.querySelector("table") !== null;
    if (!hasTable && quill.getText().trim() === "") { return ""; }
    // Quill always ends on an empty line; the chapter does not.
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ").replace(/(<p>(<br>)?<\/p>)+$/, "");
  }

  // Read-only (another role, a submitted evaluation): the text shown formatted, without a toolbar.
  function show(area) {
    var quill = new window.Quill(area, { theme: "snow", formats: FORMATS, readOnly: true,
                                         modules: { table: true, toolbar: false } });
    quill.root.setAttribute("aria-readonly", "true");
    return quill;
  }

  function edit(area, bar, labels) {
    var quill;
    quill = new window.Quill(area, {
      theme: "snow",
      formats: FORMATS,
      placeholder: labels.placeholder,
      modules: {
        table: true,
        toolbar: { container: bar, handlers: tableHandlers(function () { return quill; }) },
      },
    });
    var picker = bar.querySelector(".ql-header .ql-picker-label");
    if (picker) { picker.setAttribute("aria-label", labels.heading); picker.title = labels.heading; }
    return quill;
  }

  function enhance(textarea, labels) {
    if (textarea.dataset.reportEditorReady) { return; }
    textarea.dataset.reportEditorReady = "true";
    var readOnly = textarea.disabled || textarea.closest("fieldset[disabled]") !== null;
    var holder = document.createElement("div");
    holder.className = "report-editor" + (readOnly ? " read-only" : "");
    var bar = toolbar(labels);
    var area = document.createElement("div");
    area.innerHTML = textarea.value; // HTML sanitised by the server when it was saved
    if (!readOnly) { holder.appendChild(bar); }
    holder.appendChild(area);
    textarea.insertAdjacentElement("beforebegin", holder);
    var quill = readOnly ? show(area) : edit(area, bar, labels);
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    var label = textarea.id ? document.querySelector('label[for="' + textarea.id + '"]') : null;
    if (label) {
      label.id = label.id || textarea.id + "-label";
      quill.root.setAttribute("aria-labelledby", label.id);
    }
    textarea.hidden = true;
    if (!readOnly) { follow(textarea, quill, label); }
  }

  function follow(textarea, quill, label) {
    readPastesWithoutStyles(quill.clipboard);
    quill.clipboard.addMatcher(Node.ELEMENT_NODE, foldHeadings);
    if (label) { label.addEventListener("click", function () { quill.focus(); }); }
    if (textarea.getAttribute("aria-describedby")) {
      quill.root.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }

    var timer = null;
    function write(announce) {
      var html = htmlOf(quill);
      if (html === textarea.value) { return; }
      textarea.value = html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
      if (announce) { textarea.dispatchEvent(new Event("change", { bubbles: true })); }
    }
    function flush() {
      if (timer) { window.clearTimeout(timer); timer = null; }
      write(true);
    }
    quill.on("text-change", function (delta, old, source) {
      if (source !== "user") { return; }
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(flush, PAUSE_MS);
    });
    quill.on("selection-change", function (range) { if (range === null) { flush(); } });
    // A submit (the 保存 button) sends what is on screen; the submit itself saves.
    var form = textarea.form;
    if (form) {
      form.addEventListener("submit", function () {
        if (timer) { window.clearTimeout(timer); timer = null; }
        write(false);
      }, true);
    }
  }

  function start() {
    if (!window.Quill) { return; }
    var labels = labelsOf();
    document.querySelectorAll("textarea[data-report-editor]").forEach(function (textarea) {
      enhance(textarea, labels);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
