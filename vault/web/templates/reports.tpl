% from vault.domain import access
% rebase('base', title='Reports', site=site, visitor=visitor)
% may = lambda name: access.allowed(visitor.role, name)
<h1>{{_("Reports")}}</h1>
<p class="quiet">{{_("Each report opens as a page; choose CSV or PDF to download it instead.")}}</p>
% if error:
<p class="error" role="alert" id="report-error">{{_(error)}}</p>
% end
% as_label, page_label = _("As"), _("page")
% fmt = f'<label>{as_label} <select name="format"><option value="">{page_label}</option><option value="csv">CSV</option><option value="pdf">PDF</option></select></label>'
<section class="reports" id="reports">
% if may('report_folder'):
<h2>{{_("Custody history of a folder")}}</h2>
<form method="get" action="/reports/folder" class="register-search report-form" id="report-folder">
<label>{{_("Folder code")}} <input name="code" required value="{{values.get('code', '')}}" placeholder="WC-TJ-2002-0137"></label>
{{!fmt}}
<button type="submit">{{_("Show")}}</button></form>
% end
% if may('report_person'):
<h2>{{_("Custody history of a person")}}</h2>
<form method="get" action="/reports/person" class="register-search report-form" id="report-person">
<label>{{_("Person's name")}} <input name="name" required value="{{values.get('name', '')}}"></label>
{{!fmt}}
<button type="submit">{{_("Show")}}</button></form>
% end
% if may('report_day'):
<h2>{{_("Custody events of a day")}}</h2>
<form method="get" action="/reports/day" class="register-search report-form" id="report-day">
<label>{{_("Day")}} <input type="date" name="day" required value="{{values.get('day', today)}}"></label>
{{!fmt}}
<button type="submit">{{_("Show")}}</button></form>
% end
% if may('report_classified_holders'):
<h2>{{_("Classified folders")}}</h2>
<ul class="report-links">
<li><a id="link-classified-holders" href="/reports/classified-holders">{{_("Classified folders: who has had them in hand")}}</a> (<a href="/reports/classified-holders?format=csv">CSV</a>, <a href="/reports/classified-holders?format=pdf">PDF</a>)</li>
<li><a id="link-classified-places" href="/reports/classified-places">{{_("Classified folders and where they are")}}</a> (<a href="/reports/classified-places?format=csv">CSV</a>, <a href="/reports/classified-places?format=pdf">PDF</a>)</li>
</ul>
% end
% if may('report_statistics'):
<h2>{{_("Alarm and overdue statistics")}}</h2>
<form method="get" action="/reports/statistics" class="register-search report-form" id="report-statistics">
<label>{{_("From")}} <input type="date" name="from" value="{{values.get('from', '')}}"></label>
<label>{{_("To")}} <input type="date" name="until" value="{{values.get('until', '')}}"></label>
{{!fmt}}
<button type="submit">{{_("Show")}}</button></form>
% end
% if may('report_closing'):
<h2>{{_("Closing time: folders not returned")}}</h2>
<form method="get" action="/reports/closing" class="register-search report-form" id="report-closing">
<label>{{_("Day")}} <input type="date" name="day" required value="{{values.get('day', today)}}"></label>
{{!fmt}}
<button type="submit">{{_("Show")}}</button></form>
% end
</section>
