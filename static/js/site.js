// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Actor fields (data-suggest="<url>"): suggest public actors as the reader types, best
  // match first, through a <datalist>, so the field still takes whatever is typed by hand.
  // A suggestion fills in the actor's name as the page names it; its slug only when two
  // suggested actors share that name (the filter takes either).
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
            var seen = {};
            data.results.forEach(function (actor) { seen[actor.name] = (seen[actor.name] || 0) + 1; });
            data.results.forEach(function (actor) {
              var option = document.createElement("option");
              option.value = seen[actor.name] > 1 ? actor.slug : actor.name;
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

  // Filter panels (<details data-collapse-narrow>): closed on a phone, so the results come
  // first; open on wider screens. One that holds an error to correct stays open.
  function collapseOnNarrow(panel) {
    if (panel.hasAttribute("data-keep-open") || !window.matchMedia) return;
    var narrow = window.matchMedia("(max-width: 600px)");
    function apply() { panel.open = !narrow.matches; }
    apply();
    if (narrow.addEventListener) narrow.addEventListener("change", apply);
  }

  document.querySelectorAll("details[data-collapse-narrow]").forEach(collapseOnNarrow);
  document.querySelectorAll("input[data-suggest]").forEach(enhanceSuggest);
  document.querySelectorAll("button[data-copy]").forEach(enhanceCopy);
})();
