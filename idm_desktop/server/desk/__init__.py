"""The secretariat's desk (DESIGN §14): server-rendered pages under ``/{lang}/desk/`` for
secretariat accounts only: sign-in, status board, received queue, delegations, audit log.

A face of the service of its own, beside ``api`` and ``public``: it shares their services
(accounts, throttle, publishing, board, audit), never their routes.
"""
