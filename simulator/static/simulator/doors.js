// The pages in front of a simulated client (launchers, cookie banners): what a click does there.
// A cookie banner covers the page until it is answered, as OneTrust's and TrustArc's do: clicks on the
// page below do nothing meanwhile (a script click would otherwise pass through the overlay).
(function () {
  "use strict";
  const banner = () => document.querySelector('[data-door="cookie-banner"]:not([hidden])');

  document.addEventListener("click", (e) => {
    const el = e.target.closest("[data-door]");
    if (!el) return;
    const action = el.dataset.door;
    if (action === "cookie-accept" || action === "cookie-reject") {
      e.preventDefault();
      document.cookie = `${el.dataset.cookie}=1; path=/; SameSite=Lax`;
      document.querySelectorAll('[data-door="cookie-banner"], [data-door="cookie-overlay"]').forEach((b) => (b.hidden = true));
      return;
    }
    if (banner()) {
      e.preventDefault();
      return;
    }
    if (action === "reveal") {
      e.preventDefault();
      document.querySelectorAll('[data-door="revealed"]').forEach((r) => (r.hidden = false));
    } else if (action === "go") {
      e.preventDefault();
      window.location.href = el.dataset.href || el.getAttribute("href");
    }
  });
})();
