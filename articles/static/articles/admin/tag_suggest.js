/* Tag autocomplete for the article form: suggests existing tags for the
 * word being typed (comma-separated list) from the admin's tag endpoint. */
'use strict';
(function() {
    function init(input) {
        const list = document.createElement('datalist');
        list.id = input.id + '_suggestions';
        input.after(list);
        input.setAttribute('list', list.id);
        if (!input.dataset.suggestUrl) {
            return;
        }
        const url = new URL(input.dataset.suggestUrl, window.location.href);
        let timer = null;
        input.addEventListener('input', function() {
            clearTimeout(timer);
            timer = setTimeout(function() {
                const parts = input.value.split(',');
                const term = parts.pop().trim();
                if (term.length < 2) {
                    return;
                }
                const prefix = parts.map(function(p) { return p.trim(); }).filter(Boolean);
                url.searchParams.set('q', term);
                fetch(url, {credentials: 'same-origin'}).then(function(r) { return r.json(); }).then(function(data) {
                    list.replaceChildren();
                    data.results.forEach(function(name) {
                        const option = document.createElement('option');
                        const value = prefix.concat([name.indexOf(' ') >= 0 ? '"' + name + '"' : name]).join(', ');
                        option.value = value;
                        list.append(option);
                    });
                });
            }, 200);
        });
    }
    document.addEventListener('DOMContentLoaded', function() {
        document.querySelectorAll('input.js-tag-suggest').forEach(init);
    });
})();
