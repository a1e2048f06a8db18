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
  // Line numbers beside the module editor, and a jump from each lint problem to its line. The textarea
  // stays a plain textarea (no wrapping, so numbers and lines stay aligned); without this file it works as is.
  var editor = document.querySelector("textarea.editor");
  if (editor) {
    var box = document.createElement("div");
    var gutter = document.createElement("div");
    box.className = "editor-lines";
    gutter.className = "editor-gutter";
    gutter.setAttribute("aria-hidden", "true");
    editor.parentNode.insertBefore(box, editor);
    box.appendChild(gutter);
    box.appendChild(editor);
    editor.setAttribute("wrap", "off");
    var style = window.getComputedStyle(editor);
    ["fontFamily", "fontSize", "lineHeight"].forEach(function (name) { gutter.style[name] = style[name]; });
    gutter.style.paddingTop = style.paddingTop;
    gutter.style.paddingBottom = style.paddingBottom;
    var shown = 0;
    var current = 0;
    var numberLines = function () {
      var count = editor.value.split("\n").length;
      if (count !== shown) {
        gutter.textContent = "";
        for (var i = 1; i <= count; i++) {
          var number = document.createElement("span");
          number.textContent = i + (i < count ? "\n" : "");
          gutter.appendChild(number);
        }
        shown = count;
        current = 0;
      }
      gutter.scrollTop = editor.scrollTop;
    };
    var markLine = function (line) {
      var previous = gutter.querySelector(".current");
      if (previous) { previous.className = ""; }
      var number = gutter.children[line - 1];
      if (number) { number.className = "current"; current = line; }
    };
    var goToLine = function (line) {
      var lines = editor.value.split("\n");
      line = Math.max(1, Math.min(line, lines.length));
      var start = 0;
      for (var i = 0; i < line - 1; i++) { start += lines[i].length + 1; }
      editor.focus();
      editor.setSelectionRange(start, start + lines[line - 1].length);
      var height = parseFloat(style.lineHeight) || 20;
      editor.scrollTop = Math.max(0, (line - 1) * height - editor.clientHeight / 3);
      gutter.scrollTop = editor.scrollTop;
      markLine(line);
    };
    editor.addEventListener("input", function () { numberLines(); if (current) { markLine(current); } });
    editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
    numberLines();
    document.addEventListener("click", function (event) {
      var link = event.target.closest ? event.target.closest("a[data-line]") : null;
      if (!link) { return; }
      event.preventDefault();
      goToLine(parseInt(link.getAttribute("data-line"), 10));
    });
  }
  // Select the Markdown to insert after an upload, ready to copy.
  var snippet = document.getElementById("markdown-snippet");
  if (snippet) {
    snippet.addEventListener("focus", function () { snippet.select(); });
  }
})();
