/* Quiz page: save answers into the open attempt as the student goes (the page works without this: the
   "Save answers" button posts the same form), keep "Answered n of m" current, and move focus to the
   error summary when there is one. */
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
    // As GOV.UK's error summary does: a link shows the whole question (its title too) and focuses its first control.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest && event.target.closest("a[href^='#']");
      var control = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!control) { return; }
      event.preventDefault();
      (control.closest(".quiz-question") || control).scrollIntoView();
      control.focus({preventScroll: true});
    });
  }
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var count = document.getElementById("answered-count");
  var state = document.getElementById("save-state");
  // Not form.action: the buttons named "action" shadow that property.
  var target = form.getAttribute("action") || window.location.href.split("#")[0];
  var timer = null, busy = false, again = false;

  function answers() {
    var data = new FormData(form);
    data.set("action", "save");
    return data;
  }

  function save() {
    timer = null;
    if (busy) { again = true; return; }
    busy = true;
    state.textContent = form.dataset.saving;
    var data = answers();
    fetch(target, {
      method: "POST", body: data, credentials: "same-origin",
      headers: {"Accept": "application/json", "X-CSRFToken": data.get("csrf_token")}
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (body) {
      if (!body.saved) { state.textContent = form.dataset.closed; return; }
      count.textContent = body.answered_text;
      state.textContent = form.dataset.saved;
    }).catch(function () {
      state.textContent = form.dataset.failed;
    }).then(function () {
      busy = false;
      if (again) { again = false; save(); }
    });
  }

  function later() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 500);
  }

  form.addEventListener("change", later);
  form.addEventListener("input", later);
  form.addEventListener("submit", function () {
    if (timer) { clearTimeout(timer); timer = null; }
  });
  // Leaving with a save still waiting (reload, back): send it on the way out.
  window.addEventListener("pagehide", function () {
    if (timer && navigator.sendBeacon) {
      clearTimeout(timer);
      timer = null;
      navigator.sendBeacon(target, answers());
    }
  });
}());
