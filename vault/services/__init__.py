"""Use cases: fetch what the rules need, call the domain, write the outcome. The CLI, the web
app and the bridge all call these; none of them holds a rule of its own."""
