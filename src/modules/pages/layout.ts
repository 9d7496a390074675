import { Html, html } from './html';

/** Who is looking at a page, as far as the layout cares: the sign-out form needs the CSRF token. */
export interface LayoutViewer {
  readonly label: string;
  readonly home: string;
  readonly csrfToken: string;
}

export interface PageOptions {
  readonly title: string;
  readonly organisationName: string;
  readonly viewer?: LayoutViewer;
  /** A message shown at the top of the main content (a refusal, a confirmation). */
  readonly notice?: { readonly kind: 'error' | 'ok'; readonly text: string };
}

/**
 * The one layout every page shares: a skip link, banner, navigation, main and footer landmarks,
 * one h1 per page (given by the page), a visible keyboard focus, colours with at least 4.5:1
 * contrast, and a single column that reads on a 320-pixel-wide phone. No script.
 */
export function page(options: PageOptions, body: Html): Html {
  const { title, organisationName, viewer, notice } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${organisationName}</title>
<style>${STYLES}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site">
<p class="brand"><a href="/">${organisationName}</a></p>
<nav aria-label="Site">
<ul>
<li><a href="/">Where the money goes</a></li>
${viewer
  ? html`<li><a href="${viewer.home}">${viewer.label}</a></li>
<li><form method="post" action="/sign-out"><input type="hidden" name="_csrf" value="${viewer.csrfToken}"><button type="submit" class="link">Sign out</button></form></li>`
  : null}
</ul>
</nav>
</header>
<main id="main" tabindex="-1">
${notice ? html`<div class="notice ${notice.kind}" role="${notice.kind === 'error' ? 'alert' : 'status'}">${notice.text}</div>` : null}
${body}
</main>
<footer class="site">
<p>${organisationName} · every figure on these pages is computed from the ledger's hash-chained event log.</p>
</footer>
</body>
</html>`;
}

/** The stylesheet, inline so a page is one request and works without any asset route. */
const STYLES = new Html(`
:root{--ink:#1a1a1a;--muted:#4a4a4a;--line:#c8c8c8;--bg:#ffffff;--soft:#f3f4f1;--link:#0b4fa3;--focus:#1d4ed8;
--received:#1e6b34;--spent:#9b2335;--lent:#6b3fa0;--repaid:#0b5e78;--error:#8a1c1c;--ok:#1e5e2e}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--link)}
a:focus-visible,button:focus-visible,.table-wrap:focus-visible,summary:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,main:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem;z-index:10}
header.site,footer.site,main{max-width:60rem;margin:0 auto;padding:.75rem 1rem}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;border-bottom:1px solid var(--line)}
.brand{margin:0;font-weight:700}
.brand a{color:var(--ink);text-decoration:none}
nav ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:center}
nav form{margin:0}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem;margin-top:2rem}
h1{font-size:1.75rem;line-height:1.2;margin:.75rem 0}
h2{font-size:1.35rem;margin:2rem 0 .5rem;border-bottom:2px solid var(--soft);padding-bottom:.25rem}
h3{font-size:1.1rem;margin:1.25rem 0 .5rem}
.muted{color:var(--muted)}
.lead{font-size:1.1rem}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(12rem,1fr));gap:.75rem;padding:0;margin:1rem 0;list-style:none}
.figures li{background:var(--soft);padding:.75rem;border-radius:.4rem}
.figures .amount{display:block;font-size:1.35rem;font-weight:700}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
figure.chart{margin:.5rem 0}
figure.chart svg{max-width:40rem;height:auto;display:block}
figcaption{font-size:.9rem;color:var(--muted)}
.bar.received,.key.received{fill:var(--received);background:var(--received)}
.bar.spent,.key.spent{fill:var(--spent);background:var(--spent)}
.bar.lent,.key.lent{fill:var(--lent);background:var(--lent)}
.bar.repaid,.key.repaid{fill:var(--repaid);background:var(--repaid)}
.key{display:inline-block;width:.8rem;height:.8rem;vertical-align:middle}
svg text{font-size:12px;fill:var(--ink)}
svg .baseline{stroke:var(--muted);stroke-width:1}
.notice{padding:.75rem 1rem;border-radius:.4rem;margin:1rem 0;border-left:6px solid}
.notice.error{background:#fbeaea;border-color:var(--error);color:var(--error)}
.notice.ok{background:#e8f4ea;border-color:var(--ok);color:var(--ok)}
.status{font-weight:600}
.status.overdue,.status.behind,.status.lapsed{color:var(--error)}
form.stack{display:grid;gap:.75rem;max-width:28rem;background:var(--soft);padding:1rem;border-radius:.4rem}
label{font-weight:600;display:block}
input,select,textarea{font:inherit;padding:.45rem;border:1px solid #6b6b6b;border-radius:.25rem;width:100%;background:#fff;color:var(--ink)}
button{font:inherit;padding:.5rem 1rem;border-radius:.3rem;border:1px solid var(--link);background:var(--link);color:#fff;cursor:pointer;min-height:44px}
button.link{background:none;border:none;color:var(--link);text-decoration:underline;padding:0;min-height:auto}
.hint{font-weight:400;color:var(--muted);font-size:.9rem}
.downloads{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;padding:0;list-style:none}
@media (max-width:30rem){h1{font-size:1.45rem}td,th{padding:.35rem .3rem}}
`);
