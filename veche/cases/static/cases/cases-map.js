/* The map of participation: [data-cases-map] becomes a Leaflet map of the GeoJSON at its data-url (the page's
   filters are already in that address), with markers clustered by Leaflet.markercluster and a popup per case.
   Without JavaScript the page's own list of the same cases is the content. */
(function () {
  "use strict";

  function readLabels(element) {
    try {
      return JSON.parse(element.dataset.methodLabels || "{}");
    } catch (error) {
      return {};
    }
  }

  function popupText(properties, labels) {
    var methods = (properties.methods || []).map(function (key) { return labels[key] || key; }).join(", ");
    return [properties.municipality, properties.year, methods].filter(Boolean).join(" · ");
  }

  function popupContent(properties, labels) {
    var box = document.createElement("div");
    var heading = document.createElement("a");
    heading.href = properties.url;
    heading.textContent = properties.title || "";
    if (properties.language) heading.lang = properties.language;
    box.appendChild(heading);
    var text = popupText(properties, labels);
    if (text) {
      var line = document.createElement("p");
      line.textContent = text;
      box.appendChild(line);
    }
    return box;
  }

  function clusterIcon(label) {
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var inner = document.createElement("span");
      inner.textContent = String(count);
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + label;
      inner.appendChild(hidden);
      var wrap = document.createElement("div");
      wrap.appendChild(inner);
      return L.divIcon({
        html: wrap.outerHTML,
        className: "case-cluster case-cluster--" + size,
        iconSize: L.point(40, 40),
      });
    };
  }

  function setUp(element) {
    if (element.dataset.mapReady) return;
    element.dataset.mapReady = "1";
    L.Icon.Default.imagePath = element.dataset.mapImages;
    var map = L.map(element, { scrollWheelZoom: false }).setView([50.5, 17.0], 5);
    L.tileLayer(element.dataset.mapTiles, { maxZoom: 19, attribution: element.dataset.mapAttribution }).addTo(map);
    var clusters = L.markerClusterGroup({
      iconCreateFunction: clusterIcon(element.dataset.clusterLabel || ""),
      showCoverageOnHover: false,
      chunkedLoading: true,
    });
    map.addLayer(clusters);
    element._vecheMap = map;
    var labels = readLabels(element);

    fetch(element.dataset.url, { headers: { Accept: "application/geo+json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("map data: " + response.status);
        return response.json();
      })
      .then(function (data) {
        var markers = [];
        (data.features || []).forEach(function (feature) {
          var coordinates = feature.geometry && feature.geometry.coordinates;
          if (!coordinates) return;
          var title = feature.properties.title || "";
          var marker = L.marker([coordinates[1], coordinates[0]], { title: title, alt: title, keyboard: true });
          marker.bindPopup(popupContent(feature.properties, labels));
          marker.feature = feature;
          markers.push(marker);
        });
        clusters.addLayers(markers);
        element.dataset.mapMarkers = String(markers.length);
        if (markers.length) map.fitBounds(clusters.getBounds(), { padding: [24, 24], maxZoom: 12 });
      })
      .catch(function () {
        element.dataset.mapMarkers = "0";
      });
  }

  function init() {
    if (typeof L === "undefined" || typeof L.markerClusterGroup === "undefined") return;
    document.querySelectorAll("[data-cases-map]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
