"""Messages in the shape the IMS (1EdTech) documents and reference implementation send them, for replay tests.

The claim sets follow the example messages of the LTI Advantage reference implementation platform
(lti-ri.imsglobal.org, "JWT attributes in request" of a resource link and of a deep-linking request), the LTI 1.3
Core example message (section "Example LTI message"), the AGS score publish example and the NRPS membership
container example, with their optional and extension claims: role_scope_mentor, tool_platform (with a numeric guid),
context.type, launch_presentation, custom, lis, a vendor extension claim, the Caliper endpoint claim, institution
roles next to context roles. Names, ids and URLs are placeholders. ``iss``, ``aud``, ``nonce``, the times and the
service URLs are filled in at replay, and the test platform signs them with its own key.
"""
from __future__ import annotations

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
LTI = "https://purl.imsglobal.org/spec/lti/claim/"
RI_ISSUER = "https://lti-ri.imsglobal.org"

# A learner's resource link launch from the reference implementation: note the Mentor role next to Learner and the
# institution Student role.
RI_RESOURCE_LINK = {
    LTI + "message_type": "LtiResourceLinkRequest",
    "given_name": "Karin", "family_name": "Example", "middle_name": "Huel",
    "picture": "http://example.org/Karin.jpg", "email": "Karin.Example@example.org",
    "name": "Karin Huel Example",
    LTI + "roles": [LIS + "membership#Learner", LIS + "institution/person#Student", LIS + "membership#Mentor"],
    LTI + "role_scope_mentor": ["a62c52c02ba262003f5e"],
    LTI + "resource_link": {"id": "77767", "title": "Energy balance", "description": "Resource link description"},
    LTI + "context": {"id": "55717", "label": "CLIM101", "title": "Climate System Science", "type": [""]},
    LTI + "tool_platform": {"name": "IMS Reference Platform", "contact_email": "", "description": "", "url": "",
                            "product_family_code": "", "version": "1.0", "guid": 2909},
    "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
        "scope": ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem",
                  "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly",
                  "https://purl.imsglobal.org/spec/lti-ags/scope/score"],
        "lineitems": "{platform}/lineitems/55717", "lineitem": "{platform}/lineitems/55717/52801"},
    "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": {
        "context_memberships_url": "{platform}/memberships/55717", "service_versions": ["2.0"]},
    "https://purl.imsglobal.org/spec/lti-ces/claim/caliper-endpoint-service": {
        "scopes": ["https://purl.imsglobal.org/spec/lti-ces/v1p0/scope/send"],
        "caliper_endpoint_url": "{platform}/caliper/55717", "caliper_federated_session_id": "cb39a1d5-3a67-4c43"},
    "sub": "a73d59affc5b2c4cd493",
    LTI + "version": "1.3.0",
    "locale": "en-US",
    LTI + "launch_presentation": {"document_target": "iframe", "height": 320, "width": 240,
                                  "return_url": "{platform}/return"},
    "https://www.example.com/extension": {"color": "violet"},
    LTI + "custom": {"myCustomValue": "123"},
    LTI + "lis": {"person_sourcedid": "example.edu:71ee7e42", "course_offering_sourcedid": "example.edu:SI182-F16",
                  "course_section_sourcedid": "example.edu:SI182-001-F16"},
}

# The reference implementation's deep-linking request: an instructor known only by an institution role, several
# accepted types and targets, auto_create, a default title and text, and opaque data to send back.
RI_DEEP_LINKING = {
    LTI + "message_type": "LtiDeepLinkingRequest",
    "given_name": "Josh", "family_name": "Example", "name": "Josh Example", "email": "Josh.Example@example.org",
    LTI + "roles": [LIS + "institution/person#Instructor"],
    LTI + "role_scope_mentor": ["a62c52c02ba262003f5e"],
    LTI + "context": {"id": "55806", "label": "Onboarding label", "title": "Onboarding title", "type": ["Onboarding"]},
    LTI + "tool_platform": {"name": "lti-deep-linking-test-platform", "contact_email": "", "description": "",
                            "url": "", "product_family_code": "", "version": "1.0", "guid": "4758"},
    "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
        "accept_types": ["link", "file", "html", "ltiResourceLink", "image"],
        "accept_media_types": "image/*,text/html",
        "accept_presentation_document_targets": ["iframe", "window", "embed"],
        "accept_multiple": True, "auto_create": True, "title": "This is the default title",
        "text": "This is the default text", "data": "Some random opaque data that MUST be sent back",
        "deep_link_return_url": "{platform}/deep-link-return"},
    "sub": "23814d3e97cfc6f3dc8e",
    LTI + "version": "1.3.0",
}

# Spec-shaped NRPS membership container (NRPS 2.0 example): full role URIs, statuses, optional profile fields.
NRPS_MEMBERS = [
    {"status": "Active", "name": "Jane Q. Public", "picture": "https://platform.example.edu/jane.jpg",
     "given_name": "Jane", "family_name": "Doe", "middle_name": "Marie", "email": "jane@platform.example.edu",
     "user_id": "0ae836b9-7fc9-4060-006f-27b2066ac545", "lis_person_sourcedid": "59254-6782-12ab",
     "roles": [LIS + "membership#Instructor"]},
    {"status": "Active", "name": "Student Learner", "user_id": "b1d2f7c2-learner",
     "roles": [LIS + "membership#Learner"]},
    {"status": "Inactive", "name": "Left Course", "user_id": "c3e4-left", "roles": [LIS + "membership#Learner"]},
    {"status": "Deleted", "name": "Removed", "user_id": "d5f6-removed", "roles": ["Learner"]},
]

# What AGS 2.0 requires of a score publish (section "Score publish service", example score).
AGS_SCORE_FIELDS = {"userId", "scoreGiven", "scoreMaximum", "timestamp", "activityProgress", "gradingProgress"}
AGS_ACTIVITY_PROGRESS = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
AGS_GRADING_PROGRESS = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}


def fill(claims: dict, platform_base: str) -> dict:
    """The example claims with the test platform's service URLs."""
    def walk(value):
        if isinstance(value, str):
            return value.replace("{platform}", platform_base)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    return walk(claims)
