// The stylesheet of the report and the dashboard (one look for both). Responsive: cards and charts flow
// into as many columns as fit, a chart's SVG scales down to its column, and a wide table scrolls
// sideways in its own box instead of widening the page (readable at 800 px and at phone width).
export const PAGE_CSS = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#fff;line-height:1.4}
main{max-width:1280px;margin:0 auto;padding:1.25rem}
h1{font-size:1.6rem;margin:.2rem 0 .4rem}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.meta{color:#59636e;font-size:.9rem;margin:.3rem 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(200px,100%),1fr));gap:.75rem;margin:1rem 0}
.card{border:1px solid #d1d9e0;border-radius:8px;padding:.7rem .8rem;font-size:.9rem;color:#59636e}
.card b{display:block;font-size:1.35rem;color:#1f2328;margin-top:.2rem;font-variant-numeric:tabular-nums}
.card small{display:block;margin-top:.2rem}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(460px,100%),1fr));gap:1rem}
figure{margin:0;min-width:0}figure svg{max-width:100%;height:auto;display:block}
.scroll{overflow-x:auto;max-width:100%;margin-bottom:.5rem}
table{border-collapse:collapse;font-size:.85rem}
th,td{border-bottom:1px solid #e6eaef;padding:.3rem .55rem;vertical-align:top}
th{background:#f6f8fa;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.txt,th.txt{text-align:left}
#constraints td:nth-child(2){min-width:16rem;max-width:34rem}
.problem{border:2px solid #cf222e;border-radius:8px;padding:.5rem 1rem;background:#fff5f5}
.problem h2{margin-top:.4rem;color:#cf222e}
.notes{margin:.5rem 0;font-size:.9rem}
.files a{margin-right:1rem}
@media (max-width:600px){main{padding:.6rem}h1{font-size:1.3rem}.card b{font-size:1.15rem}}
`;
