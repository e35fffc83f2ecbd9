/* The moderation desk (admin/comments/comment/desk/): the row forms work without
 * this script (POST and back to the queue). With it, they are sent with fetch: the
 * decided row goes, the next one moves up and takes the focus, the live region
 * says what happened, the counts follow. Keyboard: j/k move, a approve, r reject
 * (focus on the facts; Enter sends), s spam, b ban, u undo the latest of mine,
 * z zoom to one comment, ? help, Esc back to the row. Counts are polled; a notice
 * appears when new comments are waiting. */
'use strict';
(function() {
    const desk = document.querySelector('.desk');
    if (!desk) {
        return;
    }
    const live = document.getElementById('desk-live');
    const alertBox = document.getElementById('desk-alert');
    const help = desk.querySelector('.desk-help');
    const recent = desk.querySelector('.desk-recent__list');
    let current = 0;

    function rows() {
        return Array.from(desk.querySelectorAll('.desk-row'));
    }

    function say(message) {
        alertBox.textContent = '';
        // A change the screen reader notices even when the same text comes twice.
        live.textContent = '';
        window.setTimeout(function() { live.textContent = message; }, 30);
    }

    function complain(message) {
        alertBox.textContent = message;
    }

    function focusRow(index) {
        const all = rows();
        if (!all.length) {
            desk.querySelector('.desk-empty').hidden = false;
            desk.querySelector('.desk-empty').setAttribute('tabindex', '-1');
            desk.querySelector('.desk-empty').focus();
            return;
        }
        current = Math.max(0, Math.min(index, all.length - 1));
        all.forEach(function(row, i) {
            row.classList.toggle('desk-row--current', i === current);
            if (i === current) {
                row.setAttribute('aria-current', 'true');
            } else {
                row.removeAttribute('aria-current');
            }
        });
        all[current].focus({preventScroll: true});
        all[current].scrollIntoView({block: 'nearest'});
    }

    function updateCounts(counts) {
        if (!counts) {
            return;
        }
        desk.querySelectorAll('[data-count]').forEach(function(badge) {
            const n = counts[badge.dataset.count];
            if (n !== undefined) {
                badge.textContent = n;
            }
        });
        if (counts.newest && Number(counts.newest) > Number(desk.dataset.newest)) {
            const notice = desk.querySelector('.desk-new');
            if (notice.hidden) {
                notice.hidden = false;
                say(notice.textContent.trim());
            }
        }
    }

    function addRecent(message, undoUrl) {
        if (!undoUrl) {
            return;
        }
        const none = recent.querySelector('.desk-recent__none');
        if (none) {
            none.remove();
        }
        const item = document.createElement('li');
        item.appendChild(document.createTextNode(message + ' '));
        const form = document.createElement('form');
        form.method = 'post';
        form.action = undoUrl;
        form.className = 'desk-undo';
        form.innerHTML = '<input type="hidden" name="csrfmiddlewaretoken"><input type="hidden" name="queue"><button type="submit" class="button"></button>';
        form.elements.csrfmiddlewaretoken.value = csrfToken();
        form.elements.queue.value = desk.dataset.queue;
        form.querySelector('button').textContent = desk.dataset.undoLabel || 'Rückgängig';
        item.appendChild(form);
        recent.prepend(item);
    }

    function csrfToken() {
        const field = desk.querySelector('input[name=csrfmiddlewaretoken]');
        return field ? field.value : '';
    }

    async function send(form) {
        const row = form.closest('.desk-row');
        let answer;
        try {
            const response = await fetch(form.action, {
                method: 'POST',
                body: new FormData(form),
                headers: {'Accept': 'application/json'},
                credentials: 'same-origin',
            });
            answer = await response.json();
        } catch (error) {
            complain(desk.dataset.failed || 'Das hat nicht geklappt. Bitte noch einmal versuchen.');
            return;
        }
        if (!answer.ok) {
            complain(answer.message);
            return;
        }
        if (form.classList.contains('desk-undo')) {
            say(answer.message);
            window.location.reload();
            return;
        }
        if (form.hasAttribute('data-stays') && !answer.note) {
            say(answer.message);
            return;
        }
        if (form.hasAttribute('data-stays')) {
            const list = row.querySelector('.desk-notes');
            const item = document.createElement('li');
            const who = document.createElement('strong');
            who.textContent = answer.note.author;
            item.appendChild(who);
            item.appendChild(document.createTextNode(': ' + answer.note.text));
            list.appendChild(item);
            form.reset();
            say(answer.message);
            return;
        }
        const index = rows().indexOf(row);
        row.remove();
        say(answer.message);
        addRecent(answer.message, answer.undo_url);
        updateCounts(answer.counts);
        focusRow(index);
    }

    desk.addEventListener('submit', function(event) {
        const form = event.target;
        if (form.method === 'dialog') {
            return;
        }
        event.preventDefault();
        send(form);
    });

    desk.addEventListener('focusin', function(event) {
        const row = event.target.closest && event.target.closest('.desk-row');
        if (row) {
            const index = rows().indexOf(row);
            if (index !== current) {
                current = index;
                rows().forEach(function(r, i) { r.classList.toggle('desk-row--current', i === current); });
            }
        }
    });

    function submitIn(row, key) {
        const form = row && row.querySelector('form[data-key="' + key + '"]');
        if (form) {
            form.requestSubmit();
        }
    }

    document.addEventListener('keydown', function(event) {
        if (event.ctrlKey || event.metaKey || event.altKey) {
            return;
        }
        const target = event.target;
        const typing = target.matches && target.matches('input, textarea, select');
        const row = rows()[current];
        if (event.key === 'Escape') {
            if (help.open) {
                return;  // the dialog closes itself
            }
            if (typing && row) {
                event.preventDefault();
                row.focus();
            }
            return;
        }
        if (typing || help.open) {
            return;
        }
        switch (event.key) {
        case 'j':
            focusRow(current + 1);
            break;
        case 'k':
            focusRow(current - 1);
            break;
        case 'a':
            submitIn(row, 'a');
            break;
        case 's':
            submitIn(row, 's');
            break;
        case 'b':
            submitIn(row, 'b');
            break;
        case 'r':
            if (row) {
                row.querySelector('.desk-reject input[name=reason]').focus();
            }
            break;
        case 'u': {
            const undo = recent.querySelector('form.desk-undo');
            if (undo) {
                undo.requestSubmit();
            }
            break;
        }
        case 'z':
            desk.classList.toggle('desk--zoom');
            say(desk.classList.contains('desk--zoom') ? (desk.dataset.zoomOn || 'Zoom') : (desk.dataset.zoomOff || 'Liste'));
            focusRow(current);
            break;
        case '?':
            help.showModal();
            break;
        default:
            return;
        }
        event.preventDefault();
    });

    desk.querySelector('.desk-help-open').addEventListener('click', function() { help.showModal(); });
    help.addEventListener('close', function() { focusRow(current); });

    async function poll() {
        try {
            const response = await fetch(desk.dataset.countsUrl, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'});
            if (response.ok) {
                updateCounts(await response.json());
            }
        } catch (error) {
            // Offline for a moment: the next poll tries again.
        }
    }
    window.setInterval(poll, Number(desk.dataset.pollMs || 20000));
    if (rows().length) {
        focusRow(0);
    }
})();
