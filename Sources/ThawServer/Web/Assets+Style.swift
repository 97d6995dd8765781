/// Thaw's one style sheet. Colours are chosen for WCAG AA contrast (the
/// browser tests measure it); status is always written in words as well.
extension Assets {
    static let style = #"""
        :root {
          --ink: #1b2631; --muted: #4a5866; --paper: #ffffff; --wash: #f3f6f8; --line: #c9d3dc;
          --accent: #0b5394; --accent-ink: #ffffff; --focus: #b35c00; --danger: #9b1c1c; --ok: #1e5631;
          font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
          font-size: 100%; line-height: 1.5; color: var(--ink); background: var(--wash);
        }
        * { box-sizing: border-box; }
        body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
        a { color: var(--accent); }
        a:hover { text-decoration-thickness: 2px; }
        :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
        .skip-link { position: absolute; left: -999px; top: 0; background: var(--paper); color: var(--accent); padding: .5rem 1rem; z-index: 10; }
        .skip-link:focus { left: 1rem; }
        .site-header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1.5rem;
          background: #102a43; color: #ffffff; }
        .site-header a { color: #ffffff; }
        .brand { font-weight: 700; font-size: 1.2rem; text-decoration: none; }
        .site-nav ul { display: flex; flex-wrap: wrap; gap: .25rem 1rem; list-style: none; margin: 0; padding: 0; }
        .site-nav a { text-decoration: none; padding: .25rem .1rem; border-bottom: 3px solid transparent; }
        .site-nav a[aria-current="page"] { border-bottom-color: #ffffff; font-weight: 600; }
        .account { margin-left: auto; display: flex; align-items: center; gap: .75rem; }
        .who { display: flex; flex-direction: column; font-size: .9rem; }
        .who .org { color: #d9e2ec; font-size: .8rem; }
        main { flex: 1; width: 100%; max-width: 72rem; margin: 0 auto; padding: 1.25rem 1.5rem 3rem; }
        main:focus { outline: none; }
        .site-footer { padding: 1rem 1.5rem; color: var(--muted); font-size: .85rem; border-top: 1px solid var(--line); background: var(--paper); }
        h1 { font-size: 1.6rem; margin: .5rem 0 1rem; }
        h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 .4rem; }
        .panel { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem 1.25rem; margin: 0 0 1rem; }
        .columns { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); gap: 1rem; }
        @media (max-width: 50rem) { .columns { grid-template-columns: 1fr; } .account { margin-left: 0; } }
        .counts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; list-style: none; padding: 0; margin: 0 0 1rem; }
        .counts li { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; }
        .counts a { display: block; text-decoration: none; color: var(--ink); }
        .counts .n { display: block; font-size: 1.8rem; font-weight: 700; color: var(--accent); }
        .counts .attention .n { color: var(--danger); }
        table { width: 100%; border-collapse: collapse; background: var(--paper); }
        th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { font-size: .85rem; color: var(--muted); font-weight: 600; }
        @media (max-width: 40rem) {
          table.stack thead { position: absolute; left: -999px; }
          table.stack tr { display: block; border-bottom: 2px solid var(--line); padding: .4rem 0; }
          table.stack td { display: block; border: 0; padding: .15rem .6rem; }
          table.stack td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
        }
        .badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .85rem; font-weight: 600;
          border: 1px solid currentColor; white-space: nowrap; }
        .status-draft, .status-cancelled, .status-entered-in-error { background: #eef1f4; color: #38444f; }
        .status-requested { background: #fff4d6; color: #6b3d00; }
        .status-accepted { background: #e3efff; color: #123d73; }
        .status-in-progress { background: #e8e6ff; color: #38307a; }
        .status-on-hold { background: #f8e8fb; color: #6a1b73; }
        .status-completed { background: #e1f4e6; color: #1e5631; }
        .status-rejected, .status-failed { background: #fde8e8; color: #8a1c1c; }
        .capacity-accepting { background: #e1f4e6; color: #1e5631; }
        .capacity-waitlist { background: #fff4d6; color: #6b3d00; }
        .capacity-closed { background: #eef1f4; color: #38444f; }
        .overdue { color: var(--danger); font-weight: 600; }
        .attention-text { color: var(--danger); font-weight: 600; }
        .story { margin: .2rem 0 .4rem; padding-left: 1.2rem; } .need-story { margin-bottom: .8rem; }
        .working-as { display: inline-flex; gap: .3rem; align-items: center; } .working-as select { width: auto; }
        .chain { padding-left: 1.2rem; } .chain li.onward { margin-left: 1.2rem; }
        .follow-ups { padding-left: 1.2rem; } .follow-ups .meta { margin: 0; color: var(--muted); font-size: .9rem; }
        .chart { margin: 0 0 .5rem; } .chart svg { width: 100%; height: auto; max-width: 760px; display: block; }
        .network-map svg { max-width: 560px; }
        .chart figcaption { font-size: .9rem; color: var(--muted); }
        .swatch { display: inline-block; width: 1em; height: .8em; vertical-align: middle; border: 1px solid #555; margin-left: .4em; }
        .swatch-current { background: #2b6cb0; } .swatch-previous { background: #a7b4c2; }
        .swatch-freeze { background: #dbe7f6; } .swatch-thaw { background: #fbe3d3; } .swatch-event { background: #5b2a86; }
        .swatch-cold { background: #2b6cb0; } .swatch-warm { background: #c05621; }
        .big-index { font-size: 2rem; margin: .2rem 0 .6rem; }
        .facts { display: grid; grid-template-columns: auto 1fr; gap: .3rem 1rem; margin: 0; } .facts dt { font-weight: 600; } .facts dd { margin: 0; }
        .cooling-note { display: block; color: #8a2c0d; }
        .inline-form { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0 0 1rem; }
        .inline-form select, .inline-form input { width: auto; }
        .scroll { overflow-x: auto; }
        th .hint { display: block; font-weight: 400; }
        .muted, .hint { color: var(--muted); }
        .hint { margin: .1rem 0 .3rem; font-size: .9rem; }
        form.inline { display: inline; }
        .field { margin: 0 0 .9rem; }
        .field label, .field legend { display: block; font-weight: 600; margin-bottom: .2rem; }
        .required { font-weight: 400; color: var(--muted); font-size: .85rem; }
        input[type=text], input[type=email], input[type=password], input[type=date], input[type=datetime-local], input[type=search], input[type=tel], select, textarea {
          width: 100%; max-width: 32rem; font: inherit; padding: .45rem .55rem; border: 1px solid #6b7b8a; border-radius: 4px; background: var(--paper); color: var(--ink); }
        textarea { max-width: 40rem; }
        .has-error input, .has-error select, .has-error textarea { border: 2px solid var(--danger); }
        .field-error { color: var(--danger); font-weight: 600; margin: .25rem 0 0; }
        fieldset { border: 1px solid var(--line); border-radius: 4px; padding: .5rem .9rem .7rem; }
        .checks .check { display: inline-flex; align-items: center; gap: .3rem; margin: .2rem 1rem .2rem 0; }
        .checks .check label { font-weight: 400; margin: 0; }
        .survey .question { margin: .7rem 0; }
        .survey .choice { display: inline-flex; align-items: center; gap: .35rem; margin: .2rem 1rem .2rem 0; min-height: 2.75rem; }
        .survey .choice label { font-weight: 400; margin: 0; }
        @media (max-width: 40rem) { .survey .choice { display: flex; margin-right: 0; } }
        button, .button { font: inherit; font-weight: 600; padding: .45rem 1rem; border-radius: 4px; border: 2px solid var(--accent);
          background: var(--accent); color: var(--accent-ink); cursor: pointer; text-decoration: none; display: inline-block; }
        .button-secondary { background: var(--paper); color: var(--accent); }
        .button-danger { background: var(--danger); border-color: var(--danger); color: #ffffff; }
        .button-quiet { background: transparent; border-color: #ffffff; color: #ffffff; padding: .25rem .7rem; }
        ul.plain, ol.plain { list-style: none; padding: 0; margin: 0 0 .75rem; }
        ul.plain > li { margin-bottom: .5rem; }
        details > summary { cursor: pointer; font-weight: 600; color: var(--accent); margin: .25rem 0 .5rem; }
        .actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: flex-start; }
        .actions details { background: var(--wash); border: 1px solid var(--line); border-radius: 4px; padding: .4rem .8rem; }
        .actions summary { cursor: pointer; font-weight: 600; color: var(--accent); }
        .notice { border-left: 6px solid var(--accent); background: var(--paper); padding: .7rem 1rem; margin-bottom: 1rem; }
        .notice-success { border-color: var(--ok); }
        .notice-warning, .notice-error { border-color: var(--danger); }
        .error-summary { border: 3px solid var(--danger); background: var(--paper); padding: .5rem 1rem; margin-bottom: 1rem; }
        .error-summary h2 { margin-top: .3rem; color: var(--danger); }
        .timeline { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
        .timeline li { padding: .2rem 0 .6rem 1rem; position: relative; }
        .messages { list-style: none; padding: 0; margin: 0 0 1rem; }
        .messages li { max-width: 40rem; border: 1px solid var(--line); border-radius: 6px; padding: .5rem .8rem; margin-bottom: .6rem; background: var(--paper); }
        .messages li.mine { margin-left: auto; background: #edf4fb; }
        .messages .meta { font-size: .85rem; color: var(--muted); }
        dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0; }
        dl.facts dt { font-weight: 600; color: var(--muted); }
        dl.facts dd { margin: 0; }
        .pager { display: flex; gap: 1rem; margin: 1rem 0; }
        .filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: flex-end; margin-bottom: 1rem; }
        .filters .field { margin: 0; }
        .secret { font-family: ui-monospace, monospace; background: #fff4d6; padding: .4rem .6rem; word-break: break-all; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        @media print {
          .site-header, .site-footer, .skip-link, .actions, form, .no-print { display: none !important; }
          body { background: #ffffff; } main { max-width: none; padding: 0; } .panel { border: 0; padding: 0; }
          a { color: var(--ink); text-decoration: none; }
        }
        """#
}
