<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}} · {{site}}</title>
<link rel="stylesheet" href="/static/style.css">
{{!head if defined('head') else ''}}
</head>
<body>
<header class="top"><span class="brand">Vault</span> <span class="site">{{site}}</span> <span class="page">{{title}}</span>
% visitor = get('visitor')
% if visitor:
<span class="who" id="who">{{visitor.display_name}} <span class="role">{{visitor.role}}</span></span>
% if not visitor.kiosk:
<form method="post" action="/signout" class="signout"><input type="hidden" name="csrf" value="{{visitor.csrf}}"><button type="submit">Sign out</button></form>
% end
% end
</header>
<main>
{{!base}}
</main>
</body>
</html>
