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
    function run(action) {
      return function () {
        var quill = getQuill();
        var table = quill.getModule("table");
        if (!quill.getSelection()) { quill.focus(); }
        table[action].apply(table, action === "insertTable" ? [3, 3] : []);
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

  function htmlOf(quill) {
    var hasTable = quill.root.querySelector("table") !== null;
    if (!hasTable && quill.getText().trim() === "") { return ""; }
    return quill.getSemanticHTML().replace(/&nbsp;/g, " ");
  }

  function enhance(textarea, labels) {
    if (textarea.dataset.reportEditorReady || textarea.disabled || textarea.closest("fieldset[disabled]")) {
      return;
    }
    textarea.dataset.reportEditorReady = "true";
    var holder = document.createElement("div");
    holder.className = "report-editor";
    var bar = toolbar(labels);
    var area = document.createElement("div");
    area.innerHTML = textarea.value; // HTML sanitised by the server when it was saved
    holder.appendChild(bar);
    holder.appendChild(area);
    textarea.insertAdjacentElement("beforebegin", holder);
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
    quill.clipboard.addMatcher(Node.ELEMENT_NODE, foldHeadings);
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    var label = textarea.id ? document.querySelector('label[for="' + textarea.id + '"]') : null;
    if (label) {
      label.id = label.id || textarea.id + "-label";
      quill.root.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { quill.focus(); });
    }
    if (textarea.getAttribute("aria-describedby")) {
      quill.root.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    textarea.hidden = true;

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
