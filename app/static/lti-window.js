// Launch in an LMS frame without cookies: after the person opens Ondo in a new window, say so in the frame.
// Without JavaScript the link works the same; only this note is missing.
document.querySelectorAll("a[data-lti-new-window]").forEach((link) => {
  link.addEventListener("click", () => {
    document.querySelectorAll("[data-lti-opened]").forEach((note) => { note.hidden = false; });
  });
});
