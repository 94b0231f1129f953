// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Actor slug fields (data-suggest="<url>"): suggest public actors as the reader types,
  // through a <datalist>, so the field still takes a slug typed by hand.
  function enhanceSuggest(input, index) {
    var list = document.createElement("datalist");
    list.id = "suggest-" + index;
    input.insertAdjacentElement("afterend", list);
    input.setAttribute("list", list.id);
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (query.length < 2 || query === last) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        last = query;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(query), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            data.results.forEach(function (actor) {
              var option = document.createElement("option");
              option.value = actor.slug;
              option.label = actor.name;
              option.textContent = actor.name;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
    });
  }

  // "Copy citation" buttons (data-copy="<element id>"), shown only where copying works.
  function enhanceCopy(button) {
    if (!navigator.clipboard) return;
    var target = document.getElementById(button.dataset.copy);
    if (!target) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.textContent.replace(/\s+/g, " ").trim()).then(
        function () {
          button.textContent = button.dataset.copied || "✓";
          window.setTimeout(function () { button.textContent = label; }, 2000);
        },
        function () { /* leave the text selectable */ }
      );
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(enhanceSuggest);
  document.querySelectorAll("button[data-copy]").forEach(enhanceCopy);
})();
