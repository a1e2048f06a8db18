// Admin editor, progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Warn before leaving the module editor with changes that were neither previewed nor saved.
  var form = document.querySelector(".editor-form");
  if (form) {
    var source = form.querySelector("textarea");
    var initial = source ? source.value : "";
    var submitting = false;
    form.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && source && source.value !== initial) {
        event.preventDefault();
        event.returnValue = "";
      }
    });
  }
  // Select the Markdown to insert after an upload, ready to copy.
  var snippet = document.getElementById("markdown-snippet");
  if (snippet) {
    snippet.addEventListener("focus", function () { snippet.select(); });
  }
})();
