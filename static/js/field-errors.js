/* After an autosave the form is not swapped, so that typing goes on. The server names the inputs
   it refused (HX-Trigger "fielderrors"): each gets aria-invalid and its message beside it, linked
   by aria-describedby; the marks of the previous save of that form are cleared first. */
(function () {
  "use strict";

  function clear(form) {
    form.querySelectorAll(".field-error[data-live]").forEach(function (note) { note.remove(); });
    form.querySelectorAll("[data-live-invalid]").forEach(function (input) {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("data-live-invalid");
      var describedBy = (input.getAttribute("aria-describedby") || "").split(" ")
        .filter(function (id) { return id && id !== input.id + "-live-error"; }).join(" ");
      if (describedBy) { input.setAttribute("aria-describedby", describedBy); }
      else { input.removeAttribute("aria-describedby"); }
    });
  }

  function mark(input, message) {
    var note = document.createElement("span");
    note.className = "field-error";
    note.id = input.id + "-live-error";
    note.setAttribute("data-live", "");
    note.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("data-live-invalid", "");
    var describedBy = input.getAttribute("aria-describedby");
    input.setAttribute("aria-describedby", describedBy ? describedBy + " " + note.id : note.id);
    input.insertAdjacentElement("afterend", note);
  }

  document.addEventListener("fielderrors", function (event) {
    var form = event.target.closest ? event.target.closest("form") : null;
    var detail = event.detail || {};
    if (!form || !detail.errors) { return; }
    clear(form);
    Object.keys(detail.errors).forEach(function (id) {
      var input = document.getElementById(id);
      if (input && form.contains(input)) { mark(input, detail.errors[id]); }
    });
  });
})();
