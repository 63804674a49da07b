"""Meridian Logistics: finance owns invoice AI; the service team owns its chatbot.

Accounts payable samples the invoice model's errors every week and asks the vendor for
retraining (the milestone agreeing the retraining template is overdue). The customer
service chatbot is updated by the service team whenever a policy changes; an open
incident shows what happens when an update is missed. Predictive maintenance runs in
pilot with nobody accountable, and the chatbot vendor never committed to a response time.
"""

from __future__ import annotations

from tenants.demo_data.spec import (
    ALL_DUTIES,
    EXC,
    IMP,
    INC,
    MON,
    A,
    AgreementSpec,
    AssessmentSpec,
    AssignmentSpec,
    C,
    ChangePlanStatus,
    Checkpoint,
    Clause,
    ClientSize,
    ClientSpec,
    DecisionAuthority,
    EngagementStatus,
    EscalationLevel,
    IncidentSeverity,
    IncidentSpec,
    IncidentStatus,
    KpiDirection,
    KpiSpec,
    LifecycleStage,
    MilestoneSpec,
    MilestoneStatus,
    OwnerSpec,
    PlanSpec,
    ProcessSpec,
    R,
    ReviewOutcome,
    ReviewSpec,
    RiskTier,
    Stakeholder,
    Tool,
    step,
)
from tenants.models import ResponsibleParty as P

_MAIL = "meridian-logistics.example"
_FINANCE = "Finance"
_SERVICE = "Customer Service"
_OPS = "Network Operations"

OWNERS = (
    OwnerSpec(
        "claire",
        "Claire Dubois",
        f"claire.dubois@{_MAIL}",
        "Financial Controller",
        _FINANCE,
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "samuel",
        "Samuel Adeyemi",
        f"samuel.adeyemi@{_MAIL}",
        "Accounts Payable Manager",
        _FINANCE,
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "wei",
        "Wei Zhang",
        f"wei.zhang@{_MAIL}",
        "Treasury Analyst",
        _FINANCE,
        DecisionAuthority.ADVISORY,
    ),
    OwnerSpec(
        "maria",
        "Maria Gonzalez",
        f"maria.gonzalez@{_MAIL}",
        "Head of Customer Service",
        _SERVICE,
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "ollie",
        "Ollie Turner",
        f"ollie.turner@{_MAIL}",
        "Knowledge Base Editor",
        _SERVICE,
        DecisionAuthority.ADVISORY,
    ),
    OwnerSpec(
        "henrik",
        "Henrik Larsen",
        f"henrik.larsen@{_MAIL}",
        "Operations Director",
        _OPS,
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "ana",
        "Ana Costa",
        f"ana.costa@{_MAIL}",
        "Fleet Maintenance Manager",
        "Fleet",
        DecisionAuthority.OPERATIONAL,
    ),
)

_FINANCE_ESCALATION = (
    EscalationLevel(1, "Exception rate above 8 per 100 invoices for two days", "Samuel Adeyemi", 8),
    EscalationLevel(2, "Wrong payment released or month-end at risk", "Claire Dubois", 4),
)

PROCESSES = (
    ProcessSpec(
        "invoices",
        "Supplier invoice capture and coding",
        "Extract supplier invoice fields, match them to purchase orders and propose GL coding.",
        _FINANCE,
        LifecycleStage.PRODUCTION,
        RiskTier.HIGH,
        steps=(
            step("Receive invoice", "none", "Email inbox and supplier portal"),
            step("Extract fields", "automates", "Supplier, amounts, VAT, PO number"),
            step("Match to PO and receipt", "decides", "Three-way match"),
            step("Propose GL coding", "recommends"),
            step("AP clerk review", "none", "Exceptions and invoices above EUR 10,000"),
            step("Approve for payment", "none"),
        ),
        upstream=("Purchasing", "Goods receipt"),
        downstream=("Payment run", "Month-end close"),
        inputs=("Supplier invoices (PDF, scans)", "Purchase orders", "Goods receipts"),
        outputs=("Coded invoice", "Match exceptions", "Retraining requests"),
        checkpoints=(
            Checkpoint(
                "Exception review",
                "AP clerk review",
                "AP clerk",
                "Every failed match and every invoice above EUR 10,000",
            ),
            Checkpoint(
                "Weekly error sample",
                "Propose GL coding",
                "Accounts Payable Manager",
                "50 auto-coded invoices a week; errors logged for retraining",
            ),
        ),
        escalation=_FINANCE_ESCALATION,
        tools=(
            Tool("InvoiceFlow OCR", "Papyrus AI", "Invoice extraction and coding"),
            Tool("SAP S/4HANA", "SAP", "ERP"),
        ),
        kpis=(
            KpiSpec("Field extraction accuracy", "%", "98", latest="97.1"),
            KpiSpec("Exceptions per 100 invoices", "count", "5", KpiDirection.LOWER, "6.8"),
            KpiSpec("Cost per invoice", "EUR", "1.8", KpiDirection.LOWER, "1.65"),
        ),
    ),
    ProcessSpec(
        "duplicates",
        "Duplicate and anomalous payment detection",
        "Stop duplicate or unusual supplier payments before the payment run.",
        _FINANCE,
        LifecycleStage.PRODUCTION,
        RiskTier.HIGH,
        steps=(step("Score payment proposal", "decides"), step("Hold and review", "none")),
        upstream=("Supplier invoice capture and coding",),
        downstream=("Payment run",),
        inputs=("Payment proposal", "Vendor master"),
        outputs=("Held payments",),
        checkpoints=(
            Checkpoint(
                "Held payment release",
                "Hold and review",
                "Financial Controller",
                "Held payments above EUR 50,000",
            ),
        ),
        escalation=_FINANCE_ESCALATION,
        tools=(Tool("InvoiceFlow OCR", "Papyrus AI", "Anomaly module"),),
        kpis=(KpiSpec("Duplicates caught before payment", "%", "99", latest="99.4"),),
    ),
    ProcessSpec(
        "disputes",
        "Customer invoice dispute triage",
        "Classify customer billing disputes and suggest the resolving team.",
        _FINANCE,
        LifecycleStage.PILOT,
        RiskTier.MEDIUM,
        steps=(step("Classify dispute", "recommends"), step("Assign to team", "none")),
        inputs=("Dispute emails",),
        outputs=("Dispute category",),
        tools=(Tool("Azure OpenAI Service", "Microsoft", "Text classification"),),
    ),
    ProcessSpec(
        "chatbot",
        "Customer service chatbot",
        "Answer shipment tracking and policy questions on the website and hand over to agents.",
        _SERVICE,
        LifecycleStage.PRODUCTION,
        RiskTier.HIGH,
        steps=(
            step("Answer question", "decides", "Tracking, delivery and claims policy"),
            step("Hand over to agent", "recommends", "Low confidence or customer asks"),
            step("Publish policy update", "none", "Knowledge base edited by service team"),
        ),
        upstream=("Website contact page",),
        downstream=("Agent queue", "Claims for damage"),
        inputs=("Shipment events", "Policy knowledge base", "Chat transcripts"),
        outputs=("Answers", "Agent handovers", "Unanswered-question log"),
        checkpoints=(
            Checkpoint(
                "Policy change review",
                "Publish policy update",
                "Head of Customer Service",
                "Every policy change tested against 20 sample questions before going live",
            ),
            Checkpoint(
                "Transcript sample",
                "Answer question",
                "Team leader",
                "30 transcripts a week scored for accuracy",
            ),
        ),
        escalation=(
            EscalationLevel(
                1, "Wrong policy or price quoted to customers", "Service team leader", 2
            ),
            EscalationLevel(2, "Complaints or refunds arising", "Maria Gonzalez", 8),
        ),
        tools=(Tool("HelpBot Cloud", "Conversa", "Conversational AI"),),
        kpis=(
            KpiSpec("Containment rate", "%", "60", latest="64"),
            KpiSpec("Answer accuracy (sampled)", "%", "95", latest="91"),
            KpiSpec("Customer satisfaction", "score /5", "4.2", latest="4.0"),
        ),
    ),
    ProcessSpec(
        "email_drafts",
        "Service email reply drafting",
        "Draft replies to customer emails for agents to edit and send.",
        _SERVICE,
        LifecycleStage.PILOT,
        RiskTier.MEDIUM,
        steps=(step("Draft reply", "drafts"), step("Agent sends", "none")),
        inputs=("Customer email", "Shipment events"),
        outputs=("Draft reply",),
        checkpoints=(Checkpoint("Agent approval", "Agent sends", "Service agent"),),
        tools=(Tool("HelpBot Cloud", "Conversa", "Reply drafting"),),
        kpis=(KpiSpec("Handling time", "minutes", "6", KpiDirection.LOWER, "7.5"),),
    ),
    ProcessSpec(
        "routing",
        "Delivery route optimisation",
        "Plan daily delivery routes and load sequences for the van fleet.",
        _OPS,
        LifecycleStage.PRODUCTION,
        RiskTier.CRITICAL,
        steps=(
            step("Plan routes", "decides", "Overnight for next-day deliveries"),
            step("Dispatcher check", "none", "Road closures and driver availability"),
            step("Re-plan in day", "recommends"),
        ),
        upstream=("Order intake", "Depot sortation"),
        downstream=("Drivers", "Customer ETAs"),
        inputs=("Orders", "Road network and closures", "Driver shifts"),
        outputs=("Route plans", "Load sequences"),
        checkpoints=(
            Checkpoint(
                "Dispatcher sign-off",
                "Dispatcher check",
                "Depot dispatcher",
                "Every plan before drivers are briefed",
            ),
        ),
        escalation=(
            EscalationLevel(1, "Routes unusable for a depot", "Depot manager", 1),
            EscalationLevel(2, "More than one depot affected", "Henrik Larsen", 2),
            EscalationLevel(3, "Network-wide failure", "COO", 4),
        ),
        tools=(Tool("RouteMax", "Pathlogic", "Route optimisation"),),
        kpis=(
            KpiSpec("On-time delivery", "%", "96", latest="95.2"),
            KpiSpec("Km per drop", "km", "3.1", KpiDirection.LOWER, "3.0"),
        ),
    ),
    ProcessSpec(
        "eta",
        "Customer delivery ETA prediction",
        "Predict delivery time windows shown to customers.",
        _OPS,
        LifecycleStage.PRODUCTION,
        RiskTier.MEDIUM,
        steps=(step("Predict window", "decides"),),
        inputs=("Route plans", "Live vehicle positions"),
        outputs=("ETA window",),
        tools=(Tool("RouteMax", "Pathlogic", "ETA module"),),
        kpis=(KpiSpec("Deliveries inside window", "%", None, latest="88"),),
    ),
    ProcessSpec(
        "maintenance",
        "Predictive fleet maintenance",
        "Predict van component failures from telematics and book workshop slots.",
        "Fleet",
        LifecycleStage.PILOT,
        RiskTier.HIGH,
        steps=(step("Predict failure", "recommends"), step("Book workshop", "none")),
        inputs=("Telematics", "Workshop history"),
        outputs=("Maintenance alerts",),
        tools=(Tool("FleetSense", "Telemetrix", "Failure prediction"),),
        kpis=(KpiSpec("Unplanned breakdowns", "per month", "12", KpiDirection.LOWER, "17"),),
    ),
    ProcessSpec(
        "customs",
        "Customs document classification",
        "Classify shipment goods into tariff codes for customs declarations.",
        _OPS,
        LifecycleStage.PILOT,
        RiskTier.CRITICAL,
        steps=(step("Suggest tariff code", "recommends"), step("Broker confirms", "none")),
        inputs=("Commercial invoices", "Product descriptions"),
        outputs=("Tariff codes",),
        checkpoints=(Checkpoint("Broker confirmation", "Broker confirms", "Customs broker"),),
        escalation=(EscalationLevel(1, "Customs query or penalty notice", "Henrik Larsen", 4),),
        kpis=(KpiSpec("Codes confirmed unchanged", "%", "97", latest="93"),),
    ),
    ProcessSpec(
        "cash",
        "Cash-flow forecasting",
        "Forecast 13-week cash position from receivables and payables.",
        _FINANCE,
        LifecycleStage.IDEA,
        RiskTier.MEDIUM,
    ),
    ProcessSpec(
        "quotes",
        "Freight rate quoting assistant",
        "Suggested spot freight rates to sales; withdrawn after margin erosion.",
        "Sales",
        LifecycleStage.RETIRED,
        RiskTier.MEDIUM,
        steps=(step("Suggest rate", "recommends"),),
        inputs=("Lane history",),
        outputs=("Rate suggestion",),
    ),
)

ASSIGNMENTS = (
    AssignmentSpec("samuel", "invoices", A, (EXC, IMP), "6", -330),
    AssignmentSpec("samuel", "invoices", R, (MON,), "3", -330),
    AssignmentSpec("claire", "invoices", C, (INC,), "1", -330),
    AssignmentSpec("claire", "duplicates", A, ALL_DUTIES, "4", -280),
    AssignmentSpec("samuel", "duplicates", R, (EXC,), "2", -280),
    AssignmentSpec("claire", "disputes", A, (EXC, IMP), "2", -30),
    AssignmentSpec("maria", "chatbot", A, (EXC, INC, IMP), "5", -400),
    AssignmentSpec("ollie", "chatbot", R, (MON, IMP), "8", -400),
    AssignmentSpec("maria", "email_drafts", A, ALL_DUTIES, "3", -70),
    AssignmentSpec("henrik", "routing", A, (EXC, INC, IMP), "8", -600),
    AssignmentSpec("henrik", "eta", A, ALL_DUTIES, "2", -300),
    AssignmentSpec("ana", "maintenance", C, (EXC,), "2", -80),
    AssignmentSpec("henrik", "customs", A, (EXC, INC), "4", -45),
    AssignmentSpec("wei", "cash", C, (), "1", -20),
    AssignmentSpec("claire", "quotes", A, ALL_DUTIES, "1", -700, -300),
)

_AF, _DI, _OM = "ai_fundamentals", "data_interpretation", "operational_management"
ASSESSMENTS = (
    AssessmentSpec(
        "samuel",
        -60,
        "Priya Raman",
        ((_AF, 3), (_DI, 4), (_OM, 4)),
        "Runs a disciplined error log; writes clear retraining requests.",
    ),
    AssessmentSpec("claire", -60, "Priya Raman", ((_AF, 3), (_DI, 5), (_OM, 4))),
    AssessmentSpec("maria", -45, "Jonas Weber", ((_AF, 3), (_DI, 3), (_OM, 5))),
    AssessmentSpec(
        "ollie",
        -45,
        "Jonas Weber",
        ((_AF, 2), (_DI, 3), (_OM, 3)),
        "Keeps the knowledge base current; unsure how the bot picks an answer.",
        "Vendor training on HelpBot intents and confidence thresholds.",
    ),
    AssessmentSpec(
        "henrik",
        -90,
        "Jonas Weber",
        ((_AF, 2), (_DI, 3), (_OM, 5)),
        None,
        "AI fundamentals for operations leaders.",
    ),
)

PLANS = (
    PlanSpec(
        "Close the invoice retraining loop: AP's weekly error sample becomes a retraining "
        "request the vendor acts on each quarter.",
        "invoices",
        (
            Stakeholder("Samuel Adeyemi", "Accounts Payable Manager", "Owns the error sample"),
            Stakeholder("AP clerks", "Reviewers", "Log errors in a fixed format"),
            Stakeholder("Papyrus AI", "Vendor", "Retrains on request"),
        ),
        "Monthly finance operations meeting; quarterly vendor review.",
        60,
        ChangePlanStatus.ACTIVE,
        75,
        (
            MilestoneSpec(
                "Weekly error sample reviewed by AP", -45, MilestoneStatus.COMPLETED, -47
            ),
            MilestoneSpec(
                "Retraining request template agreed with vendor", -5, MilestoneStatus.IN_PROGRESS
            ),
            MilestoneSpec("First quarterly retraining cycle", 40),
        ),
    ),
    PlanSpec(
        "Give the chatbot a policy-change routine owned by the service team.",
        "chatbot",
        (
            Stakeholder("Maria Gonzalez", "Head of Customer Service", "Accountable"),
            Stakeholder("Ollie Turner", "Knowledge Base Editor", "Publishes updates"),
            Stakeholder("Legal", "Policy authors", "Notify service of changes"),
        ),
        "Policy authors notify the service mailbox; changes announced in the weekly huddle.",
        70,
        ChangePlanStatus.ACTIVE,
        30,
        (
            MilestoneSpec(
                "Policy change notification from Legal", -20, MilestoneStatus.COMPLETED, -21
            ),
            MilestoneSpec(
                "Regression question set for policy updates", 10, MilestoneStatus.IN_PROGRESS
            ),
        ),
    ),
)

AGREEMENTS = (
    AgreementSpec(
        "Papyrus AI",
        "InvoiceFlow OCR",
        -330,
        400,
        370,
        ("invoices", "duplicates"),
        monitoring=Clause(P.CLIENT, "AP samples 50 invoices a week and shares the error log."),
        incident_response=Clause(P.VENDOR, "Extraction outages during payment runs."),
        incident_hours=24,
        updates=Clause(P.VENDOR, "Retraining on request, at most quarterly."),
        data_governance=Clause(P.SHARED, "Invoices retained 10 years by Meridian; vendor 30 days."),
    ),
    AgreementSpec(
        "Conversa",
        "HelpBot Cloud",
        -400,
        330,
        300,
        ("chatbot", "email_drafts"),
        auto_renews=True,
        monitoring=Clause(P.SHARED, "Vendor uptime; service team answer quality."),
        incident_response=Clause(P.VENDOR, "Support ticket."),
        updates=Clause(P.CLIENT, "Service team maintains intents and the knowledge base."),
        data_governance=Clause(P.VENDOR, "Transcripts deleted after 12 months."),
    ),
    AgreementSpec(
        "Pathlogic",
        "RouteMax",
        -600,
        500,
        470,
        ("routing", "eta"),
        auto_renews=True,
        monitoring=Clause(P.VENDOR),
        incident_response=Clause(P.VENDOR),
        incident_hours=1,
        updates=Clause(P.VENDOR),
        data_governance=Clause(P.SHARED),
    ),
)

REVIEWS = (
    ReviewSpec(
        "invoices",
        -10,
        "Samuel Adeyemi",
        "Errors concentrated on handwritten freight invoices; retraining requested.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "invoices",
        -100,
        "Samuel Adeyemi",
        "Stable after the VAT field fix.",
        ReviewOutcome.ON_TRACK,
    ),
    ReviewSpec(
        "duplicates",
        -50,
        "Claire Dubois",
        "Two duplicates caught worth EUR 84,000.",
        ReviewOutcome.ON_TRACK,
    ),
    ReviewSpec(
        "chatbot",
        -30,
        "Maria Gonzalez",
        "Containment ahead of target; accuracy dipped after the returns policy change.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "routing", -200, "Henrik Larsen", "On-time delivery on target.", ReviewOutcome.ON_TRACK
    ),
)

INCIDENTS = (
    IncidentSpec(
        "chatbot",
        "Chatbot quoted superseded damage-claim deadline",
        IncidentSeverity.HIGH,
        -4,
        "The bot told customers they had 14 days to claim for damage; the policy "
        "changed to 7 days and the knowledge base was not updated.",
        escalation_level=1,
        status=IncidentStatus.INVESTIGATING,
    ),
    IncidentSpec(
        "invoices",
        "Invoices coded to a closed cost centre",
        IncidentSeverity.MEDIUM,
        -33,
        "86 invoices coded to a cost centre closed in the reorganisation.",
        escalation_level=1,
        status=IncidentStatus.RESOLVED,
        resolved=-31,
    ),
    IncidentSpec(
        "routing",
        "Routes ignored a bridge closure",
        IncidentSeverity.CRITICAL,
        -75,
        "Closure feed failed overnight; dispatchers re-planned two depots by hand.",
        escalation_level=2,
        status=IncidentStatus.CLOSED,
        resolved=-74,
    ),
    IncidentSpec(
        "maintenance",
        "Missed brake wear alert",
        IncidentSeverity.HIGH,
        -15,
        "A van failed its inspection with no prior alert; no one owns the follow-up.",
    ),
)

MERIDIAN = ClientSpec(
    name="Meridian Logistics",
    industry="Logistics and freight",
    size=ClientSize.LARGE,
    region="Western Europe",
    status=EngagementStatus.ACTIVE,
    engagement_start=-90,
    engagement_end=270,
    lead_consultant="Priya Raman",
    owners=OWNERS,
    processes=PROCESSES,
    assignments=ASSIGNMENTS,
    plans=PLANS,
    assessments=ASSESSMENTS,
    agreements=AGREEMENTS,
    reviews=REVIEWS,
    incidents=INCIDENTS,
)
