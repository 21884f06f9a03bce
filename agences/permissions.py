"""The name of every permission the code checks, defined once. Roles carry them
(agences.roles); views check them through agences.decorators or `user.has_perm(NAME)`.
The permissions themselves are declared on the models' Meta (agences.Agent, cycle.Round)."""

# reading figures: one's own agency, or the whole network (the network direction)
VIEW_AGENCY_FIGURES = "agences.view_agency_figures"
VIEW_NETWORK_FIGURES = "agences.view_network_figures"
# supervisors and up: draw and review their agency's weekly sample of closed requests
REVIEW_SAMPLES = "agences.view_agency_figures"
# above an agent's own limit, a goodwill gesture waits for someone holding this
APPROVE_GESTURE = "agences.approve_gesture"
# above the agency's monthly gesture budget: whoever holds the budget (managers and up)
APPROVE_OVER_BUDGET = "agences.change_agency"
MERGE_CUSTOMERS = "agences.merge_customers"
MANAGE_CAMPAIGNS = "agences.manage_campaigns"
USE_PRIVACY_TOOLS = "agences.use_privacy_tools"
# partner staff: the requests escalated to their partner
ANSWER_ESCALATED_REQUESTS = "agences.answer_escalated_requests"
# managers: their agency's people, the partners' commitments, the academy's sessions
CHANGE_AGENT = "agences.change_agent"
CHANGE_PARTNER_COMMITMENT = "agences.change_partnercommitment"
ORGANISE_TRAINING = "agences.change_trainingattendance"
# the loyalty cycle: reading its rounds (supervisors and up), steering them (managers)
VIEW_CYCLE = "cycle.view_round"
STEER_CYCLE = "cycle.steer_cycle"
# supervisors and up: lift the login brake from an agent of their agency
UNLOCK_AGENT = "agences.unlock_agent"
# administrators (and superusers): the mails the product sent, on the DEBUG-only page
# /dev/courriels/ (relation_client/messaging/dev_views.py)
VIEW_SENT_MAIL = "messaging.view_outboundmessage"
# supervisors and up: write, edit and withdraw the canned answers (/reponses-types/)
MANAGE_ANSWER_TEMPLATES = "messaging.change_answertemplate"
# the network's disruptions: agents see them and their riders; supervisors and up enter
# them and warn the riders (relation_client/network)
VIEW_DISRUPTIONS = "network.view_disruption"
MANAGE_DISRUPTIONS = "network.add_disruption"
