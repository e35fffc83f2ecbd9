/* German transliteration for the admin's prepopulated slugs.
 * Django's URLify turns "Bürger" into "burger"; German readers expect
 * "buerger". We wrap the global URLify (loaded before us) so prepopulate.js
 * uses ä→ae, ö→oe, ü→ue, ß→ss. Same rule as articles.slugs.german_slugify. */
'use strict';
(function() {
    const original = window.URLify;
    if (typeof original !== 'function') {
        return;
    }
    const map = {'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS'};
    window.URLify = function(s, numChars, allowUnicode) {
        return original(String(s).replace(/[äöüÄÖÜßẞ]/g, function(c) { return map[c]; }), numChars, allowUnicode);
    };
})();
