/* The satisfaction dashboard's charts. Every series differs by line style or marker as
   well as by colour, and every chart has its figures in a table next to it. */
(function () {
  "use strict";
  var source = document.getElementById("donnees-graphiques");
  if (!source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var lang = document.documentElement.lang || "fr";
  var fr = lang.indexOf("fr") === 0;
  var label = {
    real: fr ? "Satisfaction réelle (0–100)" : "Actual satisfaction (0–100)",
    estimate: fr ? "Estimation du personnel" : "Staff estimate",
    gap: fr ? "Écart (points)" : "Gap (points)",
    against: fr ? "Envers le personnel" : "Towards staff",
    by: fr ? "Plaintes sur l'accueil" : "Complaints about staff"
  };
  var blue = "#0b4f6c", orange = "#b54708", grey = "#5c636a";
  Chart.defaults.font.size = 13;

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) { new Chart(canvas, config); }
  }

  draw("graphique-tendance", {
    data: {
      labels: data.trend.labels,
      datasets: [
        { type: "bar", label: label.gap, data: data.trend.gap, backgroundColor: "rgba(92,99,106,.35)",
          borderColor: grey, borderWidth: 1, order: 3 },
        { type: "line", label: label.real, data: data.trend.real, borderColor: blue,
          backgroundColor: blue, pointStyle: "circle", pointRadius: 4, spanGaps: true, order: 1 },
        { type: "line", label: label.estimate, data: data.trend.estimate, borderColor: orange,
          backgroundColor: orange, borderDash: [6, 4], pointStyle: "triangle", pointRadius: 5,
          spanGaps: false, order: 2 }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false,
      scales: { y: { suggestedMin: 0, suggestedMax: 100 } },
      plugins: { legend: { labels: { usePointStyle: true } } } }
  });

  draw("graphique-agences", {
    type: "bar",
    data: {
      labels: data.agencies.labels,
      datasets: [
        { label: label.real, data: data.agencies.real, backgroundColor: blue },
        { label: label.estimate, data: data.agencies.estimate, backgroundColor: "rgba(181,71,8,.25)",
          borderColor: orange, borderWidth: 2, borderDash: [6, 4] }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { min: 0, max: 100 } } }
  });

  draw("graphique-incivilites", {
    type: "bar",
    data: {
      labels: data.incivility.labels,
      datasets: [
        { label: label.against, data: data.incivility.against_staff, backgroundColor: blue },
        { label: label.by, data: data.incivility.by_staff, backgroundColor: "rgba(181,71,8,.25)",
          borderColor: orange, borderWidth: 2 }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
