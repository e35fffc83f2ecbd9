/* The article change form's background work (#desk-live):
 * - autosave: the typed text goes to the server every few seconds while it changes,
 *   and when the tab is hidden or closed (kept apart from the revisions, per person);
 *   an autosaved draft is offered for restoring ("Entwurf vom … wiederherstellen"),
 *   which refills the form and its opened version, so saving keeps the conflict check;
 * - presence: a heartbeat says who else has the article open.
 * Nothing here saves the article itself. */
'use strict';
(function() {
    const FIELDS = ['kicker', 'headline', 'slug', 'lead', 'body', 'dateline', 'tags',
        'meta_description', 'social_title'];

    function editor() {
        return window.CKEDITOR && window.CKEDITOR.instances ? window.CKEDITOR.instances.id_body : null;
    }

    function collect(form) {
        const fields = {};
        for (const name of FIELDS) {
            const element = form.elements[name];
            if (!element) {
                continue;
            }
            fields[name] = name === 'body' && editor() ? editor().getData() : element.value;
        }
        return fields;
    }

    function withoutBody(fields) {
        const copy = Object.assign({}, fields);
        delete copy.body;
        return JSON.stringify(copy);
    }

    function post(url, form, payload, keepalive) {
        return fetch(url, {
            method: 'POST',
            credentials: 'same-origin',
            keepalive: Boolean(keepalive),
            headers: {
                'Content-Type': 'application/json',
                'X-CSRFToken': form.elements.csrfmiddlewaretoken.value,
            },
            body: JSON.stringify(payload),
        });
    }

    function startAutosave(live, form) {
        const url = live.dataset.autosaveUrl;
        const seconds = Number(live.dataset.autosaveSeconds) || 15;
        const status = document.querySelector('.desk-autosave-status');
        let baseVersion = Number(form.elements.edit_version && form.elements.edit_version.value);
        let initial = withoutBody(collect(form));
        let lastSent = null;
        let submitting = false;
        form.addEventListener('submit', function() { submitting = true; });

        function changed(fields) {
            return withoutBody(fields) !== initial || Boolean(editor() && editor().checkDirty());
        }

        function save(keepalive) {
            if (submitting || !baseVersion) {
                return;
            }
            const fields = collect(form);
            const payload = JSON.stringify(fields);
            if (!changed(fields) || payload === lastSent) {
                return;
            }
            lastSent = payload;
            post(url, form, {base_version: baseVersion, fields: fields}, keepalive)
                .then(function(response) { return response.json(); })
                .then(function(data) {
                    if (status && data.message) {
                        status.textContent = data.message;
                    }
                })
                .catch(function() { lastSent = null; });
        }

        window.setInterval(function() { save(false); }, seconds * 1000);
        document.addEventListener('visibilitychange', function() {
            if (document.visibilityState === 'hidden') {
                save(true);
            }
        });
        window.addEventListener('pagehide', function() { save(true); });

        const restore = live.querySelector('.desk-restore-button');
        const data = document.getElementById('desk-autosave-data');
        if (restore && data) {
            restore.addEventListener('click', function() {
                const saved = JSON.parse(data.textContent);
                for (const [name, value] of Object.entries(saved.fields)) {
                    const element = form.elements[name];
                    if (!element) {
                        continue;
                    }
                    if (name === 'body' && editor()) {
                        editor().setData(value);
                    } else {
                        element.value = value;
                    }
                }
                // The version the draft was written on: a save after someone else's
                // is refused by the conflict check instead of overwriting it.
                if (form.elements.edit_version) {
                    form.elements.edit_version.value = String(saved.base_version);
                    baseVersion = saved.base_version;
                }
                restore.hidden = true;
                const done = live.querySelector('.desk-restore-done');
                if (done) {
                    done.hidden = false;
                }
            });
        }
    }

    function startPresence(live, form) {
        const url = live.dataset.presenceUrl;
        const seconds = Number(live.dataset.presenceSeconds) || 20;
        const notice = live.querySelector('.desk-presence');
        function beat() {
            if (document.visibilityState === 'hidden') {
                return;
            }
            post(url, form, {}, false)
                .then(function(response) { return response.json(); })
                .then(function(data) {
                    if (!notice) {
                        return;
                    }
                    notice.textContent = data.message || '';
                    notice.hidden = !data.message;
                })
                .catch(function() {});
        }
        window.setInterval(beat, seconds * 1000);
        document.addEventListener('visibilitychange', beat);
    }

    function init() {
        const live = document.getElementById('desk-live');
        const form = document.getElementById('article_form');
        if (!live || !form) {
            return;
        }
        if (live.dataset.autosaveUrl) {
            startAutosave(live, form);
        }
        if (live.dataset.presenceUrl) {
            startPresence(live, form);
        }
    }

    if (document.readyState === 'complete') {
        init();
    } else {
        window.addEventListener('load', init);
    }
})();
