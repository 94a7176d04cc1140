/* The area of a consultation, drawn on a Leaflet map: in "area" mode each click adds a corner of a polygon, in
   "point" mode a click places one point. The result is written as GeoJSON into the form's textarea, which stays the
   real input (the server checks it): without JavaScript, people type a point or paste GeoJSON there. Typing in the
   textarea redraws the map. */
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

  function parseBounds(text) {
    var parts = (text || "").split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) return null;
    return L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]);
  }

  function round(value) {
    return Math.round(value * 1e6) / 1e6;
  }

  function geometryFromInput(text) {
    text = (text || "").trim();
    if (!text) return null;
    var point = text.match(/^(-?\d+(?:[.,]\d+)?)\s*[,;\s]\s*(-?\d+(?:[.,]\d+)?)$/);
    if (point) {
      return { type: "Point", coordinates: [parseFloat(point[2].replace(",", ".")), parseFloat(point[1].replace(",", "."))] };
    }
    try {
      var value = JSON.parse(text);
      if (value && value.type === "Feature") value = value.geometry;
      if (value && value.type === "FeatureCollection" && value.features && value.features.length === 1) value = value.features[0].geometry;
      return value && value.type ? value : null;
    } catch (error) {
      return null;
    }
  }

  function setUp(element) {
    if (typeof L === "undefined" || element.dataset.areaReady) return;
    element.dataset.areaReady = "1";
    var input = document.getElementById(element.dataset.areaInput);
    var tools = element.parentNode.querySelector("[data-area-tools]");
    if (!input) return;
    element.hidden = false;
    if (tools) tools.hidden = false;

    L.Icon.Default.imagePath = element.dataset.mapImages;
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.mapTiles, { maxZoom: 19, attribution: element.dataset.mapAttribution }).addTo(map);
    var label = element.getAttribute("aria-label");
    var layer = L.layerGroup().addTo(map);
    var mode = "polygon";
    var corners = [];
    var point = null;

    function write() {
      var geometry = null;
      if (mode === "point" && point) {
        geometry = { type: "Point", coordinates: [round(point.lng), round(point.lat)] };
      } else if (mode === "polygon" && corners.length >= 3) {
        var ring = corners.map(function (c) { return [round(c.lng), round(c.lat)]; });
        ring.push(ring[0]);
        geometry = { type: "Polygon", coordinates: [ring] };
      }
      input.value = geometry ? JSON.stringify(geometry) : (mode === "polygon" && corners.length ? input.value : "");
    }

    function draw() {
      layer.clearLayers();
      if (mode === "point" && point) {
        L.marker(point, { title: label, alt: label }).addTo(layer);
      } else if (corners.length) {
        corners.forEach(function (c) { L.circleMarker(c, { radius: 4 }).addTo(layer); });
        if (corners.length >= 3) L.polygon(corners).addTo(layer);
        else if (corners.length === 2) L.polyline(corners).addTo(layer);
      }
    }

    function fromInput(fit) {
      var geometry = geometryFromInput(input.value);
      corners = [];
      point = null;
      if (geometry && geometry.type === "Point" && geometry.coordinates) {
        mode = "point";
        point = L.latLng(geometry.coordinates[1], geometry.coordinates[0]);
      } else if (geometry && geometry.type === "Polygon" && geometry.coordinates && geometry.coordinates[0]) {
        mode = "polygon";
        var ring = geometry.coordinates[0].slice(0, -1);
        corners = ring.map(function (p) { return L.latLng(p[1], p[0]); });
      } else if (geometry && geometry.type === "MultiPolygon") {
        var shape = L.geoJSON(geometry).addTo(layer);
        if (fit) map.fitBounds(shape.getBounds(), { padding: [24, 24] });
        return;
      }
      pressed();
      draw();
      if (fit) {
        if (point) map.setView(point, 15);
        else if (corners.length >= 2) map.fitBounds(L.latLngBounds(corners), { padding: [24, 24], maxZoom: 17 });
        else {
          var bounds = parseBounds(element.dataset.mapBounds);
          if (bounds) map.fitBounds(bounds);
          else map.setView([50.0, 17.0], 5);
        }
      }
    }

    function pressed() {
      if (!tools) return;
      tools.querySelectorAll("[data-area-mode]").forEach(function (button) {
        button.setAttribute("aria-pressed", button.dataset.areaMode === mode ? "true" : "false");
      });
    }

    map.on("click", function (event) {
      if (mode === "point") point = event.latlng;
      else corners.push(event.latlng);
      draw();
      write();
    });
    input.addEventListener("change", function () { fromInput(true); });

    if (tools) {
      tools.addEventListener("click", function (event) {
        var button = event.target.closest("button");
        if (!button) return;
        if (button.dataset.areaMode) {
          mode = button.dataset.areaMode;
          corners = [];
          point = null;
        } else if (button.hasAttribute("data-area-undo")) {
          if (mode === "polygon") corners.pop();
          else point = null;
        } else if (button.hasAttribute("data-area-clear")) {
          corners = [];
          point = null;
        }
        pressed();
        draw();
        write();
      });
    }
    fromInput(true);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-area-editor]").forEach(setUp);
  });
})();
