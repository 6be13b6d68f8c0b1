"""The web app: thin bottle routes that call the services and render plain templates."""
