"""The public side: the portal (/public/), open data, the Atom feed, downloads and /verify/.

No login: everything here reads through `Publication.public` and `Artifact.public`, which return
only published or withdrawn publications, never anything still being rendered.
"""
