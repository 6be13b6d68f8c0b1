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
<header class="top"><span class="brand">Vault</span> <span class="site">{{site}}</span> <span class="page">{{title}}</span></header>
<main>
{{!base}}
</main>
</body>
</html>
