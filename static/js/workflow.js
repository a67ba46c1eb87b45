// The return page: each comment's 行 and 字段 lists offer only the chosen 栏目's rows and fields.
// Without JavaScript every section's rows and fields are offered, grouped, and the server checks
// that they belong to the chosen section.
(function () {
  "use strict";

  function narrow(fieldset) {
    var section = fieldset.querySelector("select[name$='-section']");
    if (!section) return;
    var key = section.value;
    fieldset.querySelectorAll("select[name$='-row'], select[name$='-field']").forEach(function (select) {
      select.querySelectorAll("optgroup").forEach(function (group) {
        var mine = false;
        group.querySelectorAll("option").forEach(function (option) {
          var belongs = option.value.split("|")[0] === key;
          option.hidden = !belongs;
          mine = mine || belongs;
          if (!belongs && option.selected) select.value = "";
        });
        group.hidden = !mine;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".comment-form fieldset").forEach(function (fieldset) {
      narrow(fieldset);
      fieldset.addEventListener("change", function (event) {
        if (event.target.name && event.target.name.endsWith("-section")) narrow(fieldset);
      });
    });
  });
})();
