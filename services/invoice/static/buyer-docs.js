// Swagger UI showing the buyer API's own description, both served beside this page.
window.ui = SwaggerUIBundle({
  url: "openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  // No badge from the validator's site: the page loads nothing from elsewhere.
  validatorUrl: null,
});
