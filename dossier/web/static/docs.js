// The OpenAPI explorer at /docs, served from this server (no CDN, no inline script).
window.addEventListener("load", function () {
  window.ui = window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
