// Ctrl/Cmd+K opens the header search overlay (PRODUCT.md §2 Layout) by clicking its
// trigger, which exists only where the overlay is offered (signed-in pages).
document.addEventListener("keydown", (event) => {
  if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === "k") {
    const trigger = document.getElementById("search-overlay-trigger");
    if (trigger) {
      event.preventDefault();
      trigger.click();
    }
  }
});
