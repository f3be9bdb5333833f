"""Sleep-time passes that rewrite the wiki: each plans its edits as data (`gitops.Plan`)."""
