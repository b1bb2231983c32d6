// html-validate config for the built site (test/e2e/html-valid.test.ts validates every dist/**/*.html with it).
// An .mjs rather than .htmlvalidate.json so each relaxation can say why; html-validate finds either.
// Only what Astro, Preact or KaTeX output forces is relaxed; everything else is the recommended preset.
export default {
  root: true,
  extends: ['html-validate:recommended'],
  rules: {
    // KaTeX sizes and positions glyphs with style="" on its spans (hundreds per formula); there is no class-only mode.
    'no-inline-style': 'off',
    // Astro's templates write void elements without a slash (<meta ...>) but Preact's server renderer writes
    // <input/>, so one page always mixes both styles. Both are valid HTML.
    'void-style': 'off',
    // The search results are an ARIA combobox popup (role="listbox" of links, as the APG combobox pattern has):
    // a native <select> cannot hold links or excerpts.
    'prefer-native-element': ['error', { exclude: ['listbox'] }],
    // The calculators are <form>s so their fields are grouped and Enter does nothing harmful, but they recompute
    // on every keystroke and never submit: a submit button would be a control that does nothing.
    'wcag/h32': 'off',
  },
};
