"""Email: message builders, senders (SendGrid, console, file), the outbox and unsubscribe tokens.

No Reflex imports here (a layering test enforces it). Typical use from a service:

    enqueue(session, verification_email(user.email, user.full_name, token), user_id=user.id)

and, after the action's transaction committed, `deliver_in_background()` so the mail
leaves within seconds; the job worker's `deliver_email` pass retries whatever is still
pending (citypulse/jobs/).
"""
