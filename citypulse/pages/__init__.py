"""Page modules. Importing this package registers every page with the registry."""

from citypulse.pages import (  # noqa: F401  (imported for their @page registration)
    about,
    city,
    dashboard,
    features,
    landing,
    login,
    moderator_dashboard,
    not_found,
    privacy,
    profile,
    profile_edit,
    recommendation_create,
    recommendation_detail,
    recommendation_edit,
    reset_password,
    settings,
    signup,
    terms,
    verify_email,
)
