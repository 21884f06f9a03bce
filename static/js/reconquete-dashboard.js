// The reconquest trend chart; its data come from the page (json_script), no inline script.
(function () {
  const data = JSON.parse(document.getElementById("donnees-tendance").textContent);
  const canvas = document.getElementById("graphique-tendance");
  if (!canvas || typeof Chart === "undefined") { return; }
  new Chart(canvas, {
    data: {
      labels: data.labels,
      datasets: [
        {type: "bar", label: data.series.lost, data: data.lost, backgroundColor: "#b45309", yAxisID: "y"},
        {type: "bar", label: data.series.won_back, data: data.won_back, backgroundColor: "#0b4f6c", yAxisID: "y"},
        {type: "line", label: data.series.recovery, data: data.recovery, borderColor: "#15803d",
         borderDash: [6, 3], pointStyle: "rectRot", pointRadius: 4, yAxisID: "y2", spanGaps: true}
      ]
    },
    options: {
      animation: false,
      interaction: {mode: "index", intersect: false},
      scales: {
        y: {beginAtZero: true, position: "left", title: {display: true, text: data.series.lost + " / " + data.series.won_back}},
        y2: {beginAtZero: true, position: "right", grid: {drawOnChartArea: false}, title: {display: true, text: "%"}}
      }
    }
  });
})();
