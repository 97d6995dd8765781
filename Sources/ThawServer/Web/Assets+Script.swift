/// The little JavaScript Thaw needs, written by hand: live updates over
/// server-sent events, and a confirmation before destructive actions. Every
/// page works without it.
extension Assets {
    static let script = #"""
        "use strict";
        (function () {
          // Live updates: regions marked data-live-region are refreshed in place when
          // the server says something this user can see has changed.
          var source = document.body.getAttribute("data-live");
          var focusRef = document.body.getAttribute("data-referral");
          var status = document.getElementById("live-status");
          var pending = null;

          function refresh() {
            pending = null;
            fetch(window.location.href, { credentials: "same-origin", headers: { "Accept": "text/html" } })
              .then(function (r) { return r.ok ? r.text() : null; })
              .then(function (text) {
                if (!text) { return; }
                var doc = new DOMParser().parseFromString(text, "text/html");
                var changed = 0;
                document.querySelectorAll("[data-live-region]").forEach(function (region) {
                  var fresh = doc.getElementById(region.id);
                  if (!fresh || fresh.innerHTML === region.innerHTML) { return; }
                  // Never replace a region while someone is typing in it.
                  if (region.contains(document.activeElement) && document.activeElement.matches("input, textarea, select")) { return; }
                  region.innerHTML = fresh.innerHTML;
                  changed += 1;
                });
                if (changed && status) { status.textContent = status.getAttribute("data-said"); }
              })
              .catch(function () { /* the next event tries again */ });
          }

          if (source && window.EventSource) {
            var events = new EventSource(source);
            events.addEventListener("referral", function (event) {
              var data = {};
              try { data = JSON.parse(event.data); } catch (e) { return; }
              if (focusRef && data.referral !== focusRef) { return; }
              if (!pending) { pending = window.setTimeout(refresh, 250); }
            });
            // Changes may have passed unheard: while the stream was reconnecting (to another
            // server process, say), or while the server's link to the others was down.
            var opened = false;
            function catchUp() { if (!pending) { pending = window.setTimeout(refresh, 250); } }
            events.addEventListener("refresh", catchUp);
            events.addEventListener("open", function () { if (opened) { catchUp(); } opened = true; });
          }

          // Ask before a destructive action (the server asks nothing: the form is the confirmation without JavaScript).
          document.addEventListener("submit", function (event) {
            var message = event.target.getAttribute("data-confirm");
            if (message && !window.confirm(message)) { event.preventDefault(); }
          });

          document.querySelectorAll("[data-print]").forEach(function (button) {
            button.addEventListener("click", function () { window.print(); });
          });

          // After a failed submit, put the keyboard on the summary of what went wrong.
          var summary = document.querySelector(".error-summary");
          if (summary) { summary.focus(); }
        })();
        """#
}
