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

  // the trend: a month under the minimum sample is a loose hollow mark, off the line;
  // a month without answers is a hole (null), never a 0; empty series are not drawn
  var trend = data.trend;
  var trendSets = {
    gap: { type: "bar", label: label.gap, data: trend.gap, yAxisID: "ecart",
      backgroundColor: "rgba(92,99,106,.35)", borderColor: grey, borderWidth: 1,
      minBarLength: 3, order: 3 },  // a gap of 0 still shows, unlike a month without one
    real: { type: "line", label: label.real, data: trend.real, borderColor: blue,
      backgroundColor: blue, pointStyle: "circle", pointRadius: 4, spanGaps: false, order: 1 },
    real_few: { type: "line", label: (fr ? "Moins de " + trend.min_sample + " réponses (indicatif)"
        : "Fewer than " + trend.min_sample + " answers (indicative)"), data: trend.real_few,
      showLine: false, borderColor: blue, backgroundColor: "#fff", pointStyle: "circle",
      pointRadius: 5, pointBorderWidth: 2, order: 1 },
    estimate: { type: "line", label: label.estimate, data: trend.estimate, borderColor: orange,
      backgroundColor: orange, borderDash: [6, 4], pointStyle: "triangle", pointRadius: 5,
      spanGaps: false, order: 2 }
  };
  function answers(items) {
    var n = trend.answers[items[0].dataIndex];
    if (n === null) { return fr ? "Aucune réponse" : "No answer"; }
    return n + (fr ? (n > 1 ? " réponses" : " réponse") : (n > 1 ? " answers" : " answer"));
  }
  draw("graphique-tendance", {
    data: {
      labels: trend.labels,
      datasets: trend.series.map(function (name) { return trendSets[name]; })
    },
    options: { responsive: true, maintainAspectRatio: false,
      scales: {
        y: { min: 0, max: 100, ticks: { precision: 0, stepSize: 10 } },
        ecart: { position: "right", display: trend.series.indexOf("gap") !== -1,
          suggestedMin: -10, suggestedMax: 10, grid: { drawOnChartArea: false },
          ticks: { precision: 0 }, title: { display: true, text: label.gap } }
      },
      plugins: { legend: { labels: { usePointStyle: true } },
        tooltip: { callbacks: { footer: answers } } } }
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
