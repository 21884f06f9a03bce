// a button marked data-print prints the page (the browser offers "save as PDF")
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
