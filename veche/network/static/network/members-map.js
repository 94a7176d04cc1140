/* A network's member organisations on a map: [data-members-map] becomes a Leaflet map of the GeoJSON in the
   json_script element it names (data-map-data), markers clustered by Leaflet.markercluster, a popup per member.
   Without JavaScript the page's list of the same members is the content. */
(function () {
  "use strict";

  function readJson(id) {
    var element = id && document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  function popupContent(properties) {
    var box = document.createElement("div");
    var heading = document.createElement(properties.url ? "a" : "strong");
    heading.textContent = properties.title || "";
    if (properties.url) heading.href = properties.url;
    box.appendChild(heading);
    if (properties.text) {
      var line = document.createElement("p");
      line.textContent = properties.text;
      box.appendChild(line);
    }
    return box;
  }

  function clusterIcon(label) {
    return function (cluster) {
      var inner = document.createElement("span");
      inner.textContent = String(cluster.getChildCount());
      var hidden = document.createElement("span");
      hidden.className = "visually-hidden";
      hidden.textContent = " " + label;
      inner.appendChild(hidden);
      var wrap = document.createElement("div");
      wrap.appendChild(inner);
      return L.divIcon({ html: wrap.outerHTML, className: "member-cluster", iconSize: L.point(40, 40) });
    };
  }

  function setUp(element) {
    if (element.dataset.mapReady) return;
    element.dataset.mapReady = "1";
    L.Icon.Default.imagePath = element.dataset.mapImages;
    var map = L.map(element, { scrollWheelZoom: false }).setView([50.0, 17.0], 5);
    L.tileLayer(element.dataset.mapTiles, { maxZoom: 19, attribution: element.dataset.mapAttribution }).addTo(map);
    var data = readJson(element.dataset.mapData) || { features: [] };
    var group = typeof L.markerClusterGroup === "function"
      ? L.markerClusterGroup({ iconCreateFunction: clusterIcon(element.dataset.clusterLabel || ""), showCoverageOnHover: false })
      : L.featureGroup();
    var markers = [];
    (data.features || []).forEach(function (feature) {
      var coordinates = feature.geometry && feature.geometry.coordinates;
      if (!coordinates) return;
      var title = (feature.properties && feature.properties.title) || "";
      var marker = L.marker([coordinates[1], coordinates[0]], { title: title, alt: title, keyboard: true });
      marker.bindPopup(popupContent(feature.properties || {}));
      markers.push(marker);
    });
    if (group.addLayers) group.addLayers(markers); else markers.forEach(function (m) { group.addLayer(m); });
    map.addLayer(group);
    element.dataset.mapMarkers = String(markers.length);
    if (markers.length) map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 11 });
    element._vecheMap = map;
  }

  function init() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-members-map]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", init);
})();
