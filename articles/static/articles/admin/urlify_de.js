/* The admin's prepopulated slugs, the same as the server's articles.slugs.german_slugify:
 * German first (ä→ae, ö→oe, ü→ue, ß→ss, capitals too), then python-slugify's steps
 * with text-unidecode's table (slug_table.js, generated): Łódź→lodz, Москва→moskva.
 * Replaces Django's URLify (loaded before us), which drops umlaut dots ("burger")
 * and English stop words. A character the table does not know (CJK, Hangul, ...)
 * gives an empty slug: the server fills it from the headline on save.
 * tests/articles/test_slug_script.py runs this over tests/support/corpus.py. */
'use strict';
(function() {
    const table = window.NEWSROOM_SLUG_TABLE;
    if (!table) {
        return;
    }
    const german = {'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'Ä': 'Ae', 'Ö': 'Oe', 'Ü': 'Ue', 'ß': 'ss', 'ẞ': 'SS'};

    function transliterate(text) {
        let out = '';
        for (const ch of text) {
            const codepoint = ch.codePointAt(0);
            if (codepoint < 0x80) {
                out += ch;
            } else if (codepoint <= 0xffff) {
                const block = table[codepoint >> 8];
                if (block === undefined) {
                    return null;
                }
                out += block[codepoint & 0xff];
            }
            // Beyond the BMP (emoji, ...): text-unidecode has nothing, python-slugify drops it.
        }
        return out;
    }

    function germanSlugify(s, numChars) {
        let text = String(s).normalize('NFC').replace(/[äöüÄÖÜßẞ]/g, function(c) { return german[c]; });
        text = text.replace(/'+/g, '-').normalize('NFKD');
        text = transliterate(text);
        if (text === null) {
            return '';
        }
        text = text.normalize('NFKD').toLowerCase()
            .replace(/'+/g, '')
            .replace(/(?<=\d),(?=\d)/g, '')
            .replace(/[^-a-z0-9]+/g, '-')
            .replace(/-{2,}/g, '-')
            .replace(/^-+|-+$/g, '');
        if (numChars > 0) {
            text = text.slice(0, numChars).replace(/^-+|-+$/g, '');
        }
        return text;
    }

    window.newsroomSlugify = germanSlugify;
    window.URLify = function(s, numChars) {
        return germanSlugify(s, numChars);
    };
})();
