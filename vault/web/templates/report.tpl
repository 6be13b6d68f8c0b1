% rebase('base', title=report.title, site=site, visitor=visitor, head='<style>table.report td { white-space: pre-line; }</style>')
<h1>{{_(report.title)}}</h1>
% for line in report.lines:
<p class="report-line">{{_(line)}}</p>
% end
<nav class="register-nav report-downloads">{{_("Download")}}: <a class="export" id="report-csv" href="{{links['csv']}}">CSV</a> <a class="export" id="report-pdf" href="{{links['pdf']}}">PDF</a></nav>
% if more:
<p class="quiet" id="more-rows">{{_("Only the first {n} rows are shown here; the CSV and PDF files have them all.", n=limit)}}</p>
% end
<table class="folders report">
<thead><tr>
% for key, heading in report.columns:
<th>{{_(heading)}}</th>
% end
</tr></thead>
<tbody>
% for row in rows:
<tr>
% for key, heading in report.columns:
<td>{{cell(row.get(key))}}</td>
% end
</tr>
% end
</tbody>
</table>
% if not rows:
<p class="quiet" id="no-rows">{{_("No rows.")}}</p>
% end
% for line in report.footer:
<p class="report-footer">{{_(line)}}</p>
% end
