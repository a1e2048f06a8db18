// Scenario explorer (app/templates/learn/_scenario.html): with JavaScript, a changed lever fetches the same GET
// address the form would load and swaps in the new chart and sentence, without reloading the page. Without
// JavaScript the form's button does the same with a page load.
(function () {
  "use strict";
  function update(form) {
    var explorer = form.closest(".scenario-explorer");
    var params = new URLSearchParams(new FormData(form));
    var url = form.getAttribute("action").split("#")[0] + "?" + params.toString();
    // Only the newest answer counts: two quick changes send two requests, which may come back in either order.
    var ticket = (explorer.ondoRequests = (explorer.ondoRequests || 0) + 1);
    explorer.setAttribute("aria-busy", "true");
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (ticket !== explorer.ondoRequests) { return; }  // a newer change is on its way
        var page = new DOMParser().parseFromString(html, "text/html");
        var selector = '.scenario-explorer[data-scenario="' + explorer.dataset.scenario + '"]';
        var fresh = page.querySelector(selector);
        if (!fresh) { throw new Error("no explorer in the response"); }
        ["form .form-errors", ".scenario-result"].forEach(function (part) {
          var now = explorer.querySelector(part);
          var next = fresh.querySelector(part);
          if (now && next) { now.replaceWith(document.importNode(next, true)); }
          else if (now) { now.remove(); }
          else if (next) { form.querySelector(".scenario-levers").before(document.importNode(next, true)); }
        });
        history.replaceState(null, "", url + "#" + explorer.parentElement.id);
      })
      .catch(function () { if (ticket === explorer.ondoRequests) { form.submit(); } })  // fall back to the form
      .finally(function () {
        if (ticket === explorer.ondoRequests) { explorer.removeAttribute("aria-busy"); }
      });
  }
  document.querySelectorAll(".scenario-form").forEach(function (form) {
    form.addEventListener("change", function () { update(form); });
    form.addEventListener("submit", function (event) { event.preventDefault(); update(form); });
  });
})();
