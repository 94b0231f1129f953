// The network diagram (cytoscape.js, vendored in static/vendor/cytoscape/), drawn over the
// page's tables, which stay the page without JavaScript and the keyboard's way through it.
// Data: the page's own JSON endpoint (data-network-src), labels in the page's language.
(function () {
  "use strict";

  var root = document.querySelector("[data-network-src]");
  if (!root || typeof window.cytoscape !== "function") return;

  var canvas = document.getElementById("network-canvas");
  var panel = document.getElementById("network-panel");
  var panelHeading = panel.querySelector(".network__panel-heading");
  var panelBody = panel.querySelector(".network__panel-body");
  var rtl = document.documentElement.dir === "rtl";
  var strings = {};
  document
    .getElementById("network-strings")
    .content.querySelectorAll("[data-key]")
    .forEach(function (el) { strings[el.dataset.key] = el.textContent; });

  // Colours by kind come from the legend's swatches (site.css): one definition.
  var colours = {};
  root.querySelectorAll(".swatch[data-kind]").forEach(function (swatch) {
    colours[swatch.dataset.kind] = window.getComputedStyle(swatch).backgroundColor;
  });

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function openPanel(title, children) {
    panelHeading.textContent = title;
    panelBody.replaceChildren.apply(panelBody, children);
    panel.hidden = false;
    // The panel narrows the diagram's column: cytoscape must measure its canvas again.
    if (cy) cy.resize();
    panel.focus();
  }

  panel.querySelector(".network__close").addEventListener("click", function () {
    panel.hidden = true;
    if (cy) {
      cy.elements().unselect();
      cy.resize();
    }
  });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") panel.querySelector(".network__close").click();
  });

  var nodesById = {};
  var cy = null;

  function showNode(id) {
    var node = nodesById[id];
    if (!node) return;
    var facts = el("dl", { class: "facts facts--compact" });
    [
      [strings.kind, node.kind_label],
      [strings.events, String(node.events)],
      [strings.agreements, String(node.agreements)],
    ].forEach(function (pair) {
      var row = el("div");
      row.append(el("dt", {}, pair[0]), el("dd", {}, pair[1]));
      facts.append(row);
    });
    var links = el("ul", { class: "network__links" });
    var page = el("li");
    page.append(el("a", { href: node.url }, strings.page));
    var around = el("li");
    around.append(el("a", { href: node.network_url }, strings.around));
    links.append(page, around);
    openPanel(node.label, [facts, links]);
    if (cy) {
      cy.elements().unselect();
      cy.getElementById(id).select();
    }
  }

  function recordList(heading, records) {
    var section = el("section");
    section.append(el("h4", {}, heading));
    var list = el("ul", { class: "network__records" });
    records.forEach(function (record) {
      var item = el("li");
      var title = el("a", { href: record.url, dir: "auto" }, record.title);
      item.append(title);
      if (record.when) item.append(" · " + record.when);
      if (record.evidence.length) {
        var evidence = el("ul", { class: "network__evidence" });
        record.evidence.forEach(function (citation) {
          var line = el("li");
          line.append(el("q", { dir: "auto" }, citation.quote), " — ");
          line.append(el("a", { href: citation.source_url, dir: "auto" }, citation.source));
          evidence.append(line);
        });
        item.append(evidence);
      }
      list.append(item);
    });
    section.append(list);
    return section;
  }

  function showEdge(source, target) {
    var a = nodesById[source];
    var b = nodesById[target];
    var title = (a ? a.label : source) + " — " + (b ? b.label : target);
    openPanel(title, [el("p", { class: "muted" }, strings.loading)]);
    var query = new URLSearchParams(root.dataset.edgeQuery);
    query.set("source", source);
    query.set("target", target);
    fetch(root.dataset.edgeSrc + "?" + query.toString(), { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        var parts = [];
        if (data.ties.length) parts.push(recordList(strings.ties, data.ties));
        if (data.events.length) parts.push(recordList(strings.events, data.events));
        if (data.agreements.length) parts.push(recordList(strings.agreements, data.agreements));
        if (data.more_events || data.more_agreements) {
          parts.push(el("p", { class: "muted" }, strings.more));
        }
        if (!parts.length) parts.push(el("p", { class: "empty" }, strings.none));
        openPanel(title, parts);
      })
      .catch(function () { openPanel(title, [el("p", { class: "empty" }, strings.error)]); });
  }

  function draw(data) {
    var maxWeight = 1;
    data.nodes.forEach(function (node) {
      nodesById[node.id] = node;
      maxWeight = Math.max(maxWeight, node.weight);
    });
    var elements = data.nodes.map(function (node) {
      return {
        group: "nodes",
        data: {
          id: node.id,
          label: node.label,
          colour: colours[node.kind] || "#888",
          size: 16 + 44 * Math.sqrt(node.weight / maxWeight),
          centre: node.centre ? 1 : 0,
        },
      };
    });
    data.edges.forEach(function (edge) {
      elements.push({
        group: "edges",
        data: {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          type: edge.type,
          label: edge.type === "tie" ? edge.label : "",
          width: edge.type === "tie" ? 2 : Math.min(1 + edge.weight, 10),
        },
      });
    });
    canvas.hidden = false;
    root.querySelector(".network__hint").hidden = false;
    var big = data.nodes.length > 150;
    cy = window.cytoscape({
      container: canvas,
      elements: elements,
      minZoom: 0.1,
      maxZoom: 4,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
      style: [
        {
          selector: "node",
          style: {
            "background-color": "data(colour)",
            width: "data(size)",
            height: "data(size)",
            label: "data(label)",
            "font-size": 11,
            "text-valign": "bottom",
            "text-margin-y": 3,
            color: "#1c2228",
            "text-outline-color": "#ffffff",
            "text-outline-width": 2,
            "min-zoomed-font-size": big ? 9 : 0,
          },
        },
        { selector: "node[centre = 1]", style: { "border-width": 4, "border-color": "#123c5a" } },
        { selector: "node:selected", style: { "border-width": 4, "border-color": "#c2410c" } },
        {
          selector: "edge",
          style: {
            width: "data(width)",
            "line-color": "#9aa5b1",
            "curve-style": "bezier",
            opacity: 0.7,
          },
        },
        {
          selector: "edge[type = 'tie']",
          style: {
            "line-color": "#123c5a",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "#123c5a",
            label: "data(label)",
            "font-size": 9,
            "text-rotation": "autorotate",
            "text-outline-color": "#ffffff",
            "text-outline-width": 2,
            "min-zoomed-font-size": 8,
          },
        },
        { selector: "edge[type = 'shared']", style: { "line-style": "dashed" } },
        { selector: "edge:selected", style: { "line-color": "#c2410c", opacity: 1 } },
      ],
      layout: {
        name: "cose",
        animate: false,
        randomize: false,
        nodeRepulsion: function () { return big ? 8000 : 20000; },
        idealEdgeLength: function () { return big ? 40 : 80; },
        numIter: big ? 400 : 1000,
      },
    });
    cy.on("tap", "node", function (event) { showNode(event.target.id()); });
    cy.on("tap", "edge", function (event) {
      var edge = event.target;
      showEdge(edge.data("source"), edge.data("target"));
    });
  }

  // The tables' buttons and evidence links open the same panel: the keyboard's way in.
  document.querySelectorAll(".node-button[data-node]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      showNode(button.dataset.node);
      canvas.scrollIntoView({ block: "nearest" });
    });
  });
  document.querySelectorAll("a.edge-link[data-source]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      showEdge(link.dataset.source, link.dataset.target);
      canvas.scrollIntoView({ block: "nearest" });
    });
  });

  if (rtl) panel.setAttribute("dir", "rtl");

  fetch(root.dataset.networkSrc, { headers: { Accept: "application/json" } })
    .then(function (response) {
      if (!response.ok) throw new Error(response.status);
      return response.json();
    })
    .then(draw)
    .catch(function () {
      root.prepend(el("p", { class: "notice notice--error", role: "status" }, strings.error));
    });
})();
