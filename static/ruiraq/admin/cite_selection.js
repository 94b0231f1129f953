/*
 * The source change form: select a passage of the full text, then "Cite the selected passage"
 * opens the citation add form with this source chosen and the passage as the quote
 * (the admin fills a form's initial values from the address). A static file, no inline
 * script: the admin runs under the site's strict Content-Security-Policy.
 */
(function () {
  "use strict";

  function selectedPassage(text) {
    var start = text.selectionStart;
    var end = text.selectionEnd;
    if (typeof start !== "number" || end <= start) {
      return "";
    }
    return text.value.slice(start, end).trim();
  }

  function wire() {
    var text = document.getElementById("id_text");
    var link = document.querySelector("a.cite-selection");
    if (!text || !link) {
      return;
    }
    link.hidden = false;
    function update() {
      var passage = selectedPassage(text);
      link.setAttribute("aria-disabled", passage ? "false" : "true");
      link.classList.toggle("disabled", !passage);
    }
    text.addEventListener("select", update);
    text.addEventListener("keyup", update);
    text.addEventListener("mouseup", update);
    update();
    link.addEventListener("click", function (event) {
      var passage = selectedPassage(text);
      event.preventDefault();
      if (!passage) {
        text.focus();
        return;
      }
      var address = link.getAttribute("data-add-url") + "&quote=" + encodeURIComponent(passage);
      window.open(address, "_blank", "noopener");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
