/* Every admin change form: leaving it with unsaved changes asks first
 * (the browser's "leave page?" dialog on beforeunload). The form's own submit
 * (the save buttons, the article's workflow steps) never asks.
 * Rich-text fields are compared by CKEditor itself (checkDirty), because the
 * editor rewrites the HTML of a field it loads without anybody editing it. */
'use strict';
(function() {
    function isRichText(element) {
        return Boolean(element && element.dataset && (element.dataset.type || '').startsWith('ckeditor'));
    }

    function snapshot(form) {
        const parts = [];
        for (const [name, value] of new FormData(form).entries()) {
            if (name === 'csrfmiddlewaretoken' || isRichText(form.elements[name])) {
                continue;
            }
            parts.push(name + '=' + (typeof value === 'string' ? value : value.name + ':' + value.size));
        }
        return parts.join('&');
    }

    function richTextChanged() {
        const editors = window.CKEDITOR ? window.CKEDITOR.instances : {};
        return Object.keys(editors).some(function(name) { return editors[name].checkDirty(); });
    }

    function watch(form) {
        let initial = null;
        let submitting = false;
        form.addEventListener('submit', function() { submitting = true; });
        // The pages' other scripts (select2, prepopulated fields) settle on load.
        window.addEventListener('load', function() { initial = snapshot(form); });
        window.addEventListener('pageshow', function() { submitting = false; });
        window.addEventListener('beforeunload', function(event) {
            if (submitting || initial === null) {
                return;
            }
            if (snapshot(form) !== initial || richTextChanged()) {
                event.preventDefault();
                event.returnValue = '';  // older browsers need a value to ask
            }
        });
    }

    const form = document.querySelector('#content-main form[method="post"][id$="_form"]');
    if (form) {
        watch(form);
    }
})();
