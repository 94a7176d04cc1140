/* Maps: every [data-map] element becomes a Leaflet map of the GeoJSON in the json_script element it names.
   With data-map-picker-lat/-lng it also lets a person choose a point: a click fills those inputs, and typing in them
   moves the marker. Pages work without this file; the map only adds a view of what the page lists. */
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
    if (!text) return null;
    var parts = text.split(",").map(Number);
    if (parts.length !== 4 || parts.some(isNaN)) return null;
    return L.latLngBounds([parts[0], parts[1]], [parts[2], parts[3]]);
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

  function setUp(element) {
    if (element.dataset.mapReady) return;
    element.dataset.mapReady = "1";
    L.Icon.Default.imagePath = element.dataset.mapImages;
    var map = L.map(element, { scrollWheelZoom: false });
    L.tileLayer(element.dataset.mapTiles, { maxZoom: 19, attribution: element.dataset.mapAttribution }).addTo(map);

    var data = readJson(element.dataset.mapData) || { type: "FeatureCollection", features: [] };
    var layer = L.geoJSON(data, {
      pointToLayer: function (feature, latlng) {
        var title = (feature.properties && feature.properties.title) || "";
        // An untitled point (e.g. a survey answer) is decorative: an image with an empty alt cannot be a button.
        if (!title) return L.marker(latlng, { alt: "", interactive: false, keyboard: false });
        return L.marker(latlng, { title: title, alt: title, keyboard: true });
      },
      onEachFeature: function (feature, marker) {
        if (feature.properties && feature.properties.title) marker.bindPopup(popupContent(feature.properties));
      },
    }).addTo(map);

    var bounds = parseBounds(element.dataset.mapBounds);
    if (layer.getLayers().length) {
      map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 16 });
    } else if (bounds) {
      map.fitBounds(bounds);
    } else {
      map.setView([50.0, 17.0], 5);
    }

    var latInput = document.getElementById(element.dataset.mapPickerLat || "");
    var lngInput = document.getElementById(element.dataset.mapPickerLng || "");
    if (latInput && lngInput) {
      var picked = null;
      var place = function (latlng) {
        if (!picked) {
          picked = L.marker(latlng, { title: element.getAttribute("aria-label"), alt: element.getAttribute("aria-label") }).addTo(map);
        } else {
          picked.setLatLng(latlng);
        }
      };
      var fromInputs = function () {
        var lat = parseFloat(latInput.value.replace(",", "."));
        var lng = parseFloat(lngInput.value.replace(",", "."));
        if (!isNaN(lat) && !isNaN(lng)) {
          place([lat, lng]);
          return true;
        }
        return false;
      };
      if (fromInputs() && !layer.getLayers().length) map.setView(picked.getLatLng(), 15);
      map.on("click", function (event) {
        latInput.value = event.latlng.lat.toFixed(6);
        lngInput.value = event.latlng.lng.toFixed(6);
        place(event.latlng);
        latInput.dispatchEvent(new Event("change", { bubbles: true }));
      });
      latInput.addEventListener("change", fromInputs);
      lngInput.addEventListener("change", fromInputs);
    }
    element._vecheMap = map;
  }

  function init(root) {
    if (typeof L === "undefined") return;
    (root || document).querySelectorAll("[data-map]").forEach(setUp);
  }

  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:afterSettle", function (event) { init(event.target); });
})();
