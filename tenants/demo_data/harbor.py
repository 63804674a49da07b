"""Harbor Retail: replenishment fixed by category-manager ownership; segmentation fragmented.

Replenishment missed demand (stock-outs and overstock) while the data platform team
"owned" it; it was handed to the category managers with KPIs and an exception process
(a completed change plan). Marketing runs three customer-segmentation tools with no
accountable owner, producing conflicting campaigns; the plan to consolidate them has an
overdue first milestone and their vendor contracts leave every clause unspecified.
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
    HandoverSpec,
    I,
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

_MAIL = "harbor-retail.example"
_MARKETING = "Marketing"

OWNERS = (
    OwnerSpec(
        "sofia",
        "Sofia Marino",
        f"sofia.marino@{_MAIL}",
        "Category Manager, Fresh Foods",
        "Merchandising - Fresh Foods",
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "james",
        "James Whitaker",
        f"james.whitaker@{_MAIL}",
        "Category Manager, Home & Garden",
        "Merchandising - Home & Garden",
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "nadia",
        "Nadia Haddad",
        f"nadia.haddad@{_MAIL}",
        "Director of Supply Chain",
        "Supply Chain",
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "kenji",
        "Kenji Sato",
        f"kenji.sato@{_MAIL}",
        "Data Platform Engineer",
        "IT - Data Platform",
        DecisionAuthority.NONE,
    ),
    OwnerSpec(
        "elena",
        "Elena Petrova",
        f"elena.petrova@{_MAIL}",
        "Marketing Director",
        _MARKETING,
        DecisionAuthority.FULL,
    ),
    OwnerSpec(
        "chris",
        "Chris Lam",
        f"chris.lam@{_MAIL}",
        "Marketing Analyst",
        _MARKETING,
        DecisionAuthority.ADVISORY,
    ),
    OwnerSpec(
        "tariq",
        "Tariq Aziz",
        f"tariq.aziz@{_MAIL}",
        "E-commerce Product Lead",
        "Digital",
        DecisionAuthority.OPERATIONAL,
    ),
    OwnerSpec(
        "beth",
        "Beth Morgan",
        f"beth.morgan@{_MAIL}",
        "Store Operations Manager",
        "Retail Operations",
        DecisionAuthority.OPERATIONAL,
    ),
)


def _replenishment(key: str, category: str, unit: str, manager: str) -> ProcessSpec:
    return ProcessSpec(
        key,
        f"Inventory replenishment - {category}",
        f"Forecast store demand and raise replenishment orders for {category.lower()}.",
        unit,
        LifecycleStage.PRODUCTION,
        RiskTier.HIGH,
        steps=(
            step("Forecast demand", "decides", "Daily store x SKU forecast"),
            step("Propose orders", "recommends", "Order quantities within min/max"),
            step("Review exceptions", "none", "Orders above 2x forecast or below safety stock"),
            step("Release orders", "automates"),
        ),
        upstream=("Sales and promotions calendar", "Supplier lead times"),
        downstream=("Warehouse picking", "Store receiving"),
        inputs=("Point-of-sale history", "Stock on hand", "Promotions calendar", "Weather"),
        outputs=("Purchase orders", "Exception queue"),
        checkpoints=(
            Checkpoint(
                "Exception queue review",
                "Review exceptions",
                manager,
                "Orders above 2x forecast, below safety stock, or new lines",
            ),
        ),
        escalation=(
            EscalationLevel(
                1, "Stock-out on a top-50 line or forecast error above 25%", manager, 4
            ),
            EscalationLevel(
                2,
                "Supplier cannot meet the order or system outage",
                "Nadia Haddad, Director of Supply Chain",
                12,
            ),
        ),
        tools=(Tool("Replenish AI", "Stockwise", "Demand forecasting and ordering"),),
        kpis=(
            KpiSpec("Stock-out rate", "%", "2", KpiDirection.LOWER, "2.6"),
            KpiSpec("Overstock days of cover", "days", "10", KpiDirection.LOWER, "11.5"),
            KpiSpec("Forecast error (MAPE)", "%", "15", KpiDirection.LOWER, "14.2"),
        ),
    )


def _segmentation(
    key: str,
    name: str,
    product: str,
    vendor: str,
    stage: LifecycleStage,
    tier: RiskTier,
    source: str,
) -> ProcessSpec:
    return ProcessSpec(
        key,
        name,
        f"Customer segmentation for campaign targeting, built from {source}.",
        _MARKETING,
        stage,
        tier,
        steps=(step("Build segments", "decides"), step("Export audience", "automates")),
        upstream=(source,),
        downstream=("Campaign execution",),
        inputs=(source, "Purchase history"),
        outputs=("Customer segments",),
        tools=(Tool(product, vendor, "Customer segmentation"),),
    )


PROCESSES = (
    _replenishment("repl_fresh", "Fresh Foods", "Merchandising - Fresh Foods", "Sofia Marino"),
    _replenishment("repl_home", "Home & Garden", "Merchandising - Home & Garden", "James Whitaker"),
    ProcessSpec(
        "promo_forecast",
        "Promotional uplift forecasting",
        "Predict sales uplift of planned promotions so buyers can pre-order stock.",
        "Supply Chain",
        LifecycleStage.PILOT,
        RiskTier.MEDIUM,
        steps=(step("Estimate uplift", "recommends"), step("Buyer adjusts plan", "none")),
        upstream=("Promotions calendar",),
        downstream=("Inventory replenishment",),
        inputs=("Past promotions", "Price changes"),
        outputs=("Uplift forecast",),
        tools=(Tool("Replenish AI", "Stockwise", "Promotion uplift module"),),
        kpis=(KpiSpec("Uplift forecast error", "%", "20", KpiDirection.LOWER, "24"),),
    ),
    ProcessSpec(
        "markdown",
        "Markdown pricing optimisation",
        "Recommend end-of-season markdowns to clear stock at the best margin.",
        "Merchandising - Home & Garden",
        LifecycleStage.PILOT,
        RiskTier.HIGH,
        steps=(step("Recommend markdown", "recommends"), step("Apply price", "automates")),
        upstream=("Seasonal stock position",),
        downstream=("Store pricing", "E-commerce"),
        inputs=("Stock on hand", "Sell-through rates"),
        outputs=("Markdown prices",),
        tools=(Tool("PriceSense", "Margin Labs", "Markdown optimisation"),),
        kpis=(KpiSpec("Sell-through at season end", "%", "90", latest="86"),),
    ),
    _segmentation(
        "seg_crm",
        "CRM customer clustering",
        "SegmentPro",
        "Clustra",
        LifecycleStage.PRODUCTION,
        RiskTier.MEDIUM,
        "CRM profiles",
    ),
    _segmentation(
        "seg_loyalty",
        "Loyalty app propensity segments",
        "LoyaltyLens",
        "Loopwise",
        LifecycleStage.PRODUCTION,
        RiskTier.MEDIUM,
        "Loyalty app events",
    ),
    _segmentation(
        "seg_social",
        "Paid social lookalike audiences",
        "AudienceForge",
        "Adverta",
        LifecycleStage.PILOT,
        RiskTier.LOW,
        "Website visitors",
    ),
    ProcessSpec(
        "send_time",
        "Email send-time optimisation",
        "Choose the send time of each marketing email per customer.",
        _MARKETING,
        LifecycleStage.PILOT,
        RiskTier.LOW,
        steps=(step("Pick send time", "decides"),),
        inputs=("Email open history",),
        outputs=("Send schedule",),
        tools=(Tool("Braze Intelligent Timing", "Braze", "Send-time optimisation"),),
        kpis=(KpiSpec("Open rate", "%", None, latest="21.4"),),
    ),
    ProcessSpec(
        "descriptions",
        "Product description generation",
        "Draft online product descriptions from supplier data sheets.",
        "Digital",
        LifecycleStage.PRODUCTION,
        RiskTier.LOW,
        steps=(step("Draft description", "drafts"), step("Copy editor approves", "none")),
        upstream=("Supplier onboarding",),
        downstream=("Product pages",),
        inputs=("Supplier data sheets", "Brand style guide"),
        outputs=("Product descriptions",),
        checkpoints=(Checkpoint("Copy approval", "Copy editor approves", "Copy editor"),),
        tools=(Tool("Azure OpenAI Service", "Microsoft", "Text generation"),),
        kpis=(KpiSpec("Descriptions published per week", "count", "400", latest="520"),),
    ),
    ProcessSpec(
        "search",
        "Online search ranking",
        "Rank site search results by predicted purchase likelihood.",
        "Digital",
        LifecycleStage.PRODUCTION,
        RiskTier.MEDIUM,
        steps=(step("Rank results", "decides"),),
        inputs=("Search queries", "Click and purchase logs"),
        outputs=("Ranked results",),
        escalation=(EscalationLevel(1, "Search conversion drops 10% day on day", "Tariq Aziz", 8),),
        tools=(Tool("Algolia", "Algolia", "Search and ranking"),),
        kpis=(
            KpiSpec("Search conversion", "%", "4.5", latest="4.1"),
            KpiSpec("Zero-result searches", "%", None, KpiDirection.LOWER, "3.2"),
        ),
    ),
    ProcessSpec(
        "shelf_gaps",
        "Shelf gap detection",
        "Spot empty shelves from store camera images and alert staff.",
        "Retail Operations",
        LifecycleStage.IDEA,
        RiskTier.MEDIUM,
    ),
    ProcessSpec(
        "returns_fraud",
        "Returns fraud screening",
        "Flag suspicious returns at the till for a supervisor check.",
        "Retail Operations",
        LifecycleStage.IDEA,
        RiskTier.HIGH,
    ),
    ProcessSpec(
        "rota",
        "Store staffing forecast (legacy)",
        "Forecast store footfall for rotas; replaced by the workforce management suite.",
        "Retail Operations",
        LifecycleStage.RETIRED,
        RiskTier.LOW,
        steps=(step("Forecast footfall", "recommends"),),
        inputs=("Footfall counters",),
        outputs=("Staffing forecast",),
    ),
)

ASSIGNMENTS = (
    AssignmentSpec("kenji", "repl_fresh", A, (MON,), "2", -420),
    AssignmentSpec("kenji", "repl_fresh", R, (MON, INC), "3", -420),
    AssignmentSpec("james", "repl_home", A, (EXC, IMP), "5", -120),
    AssignmentSpec("kenji", "repl_home", R, (MON, INC), "2", -120),
    AssignmentSpec("nadia", "repl_home", C, (), "0.5", -120),
    AssignmentSpec("nadia", "promo_forecast", A, ALL_DUTIES, "3", -75),
    AssignmentSpec("james", "markdown", A, (EXC, IMP), "3", -50),
    AssignmentSpec("chris", "seg_crm", R, (MON,), "4", -300),
    AssignmentSpec("elena", "seg_crm", I, (), "0.5", -300),
    AssignmentSpec("chris", "send_time", A, ALL_DUTIES, "2", -40),
    AssignmentSpec("tariq", "descriptions", A, ALL_DUTIES, "2", -210),
    AssignmentSpec("tariq", "search", A, (EXC, INC, IMP), "3", -365),
    AssignmentSpec("kenji", "search", R, (MON,), "2", -365),
    AssignmentSpec("beth", "rota", A, ALL_DUTIES, "1", -800, -200),
)

HANDOVERS = (HandoverSpec("repl_fresh", "sofia", -150, (EXC, IMP), "6"),)

_AF, _DI, _OM = "ai_fundamentals", "data_interpretation", "operational_management"
ASSESSMENTS = (
    AssessmentSpec(
        "sofia",
        -160,
        "Owen Castillo",
        ((_AF, 2), (_DI, 2), (_OM, 4)),
        "Before taking ownership: knows the category, not the forecast.",
        "Forecasting basics; weekly KPI review with the data team.",
    ),
    AssessmentSpec(
        "sofia",
        -20,
        "Owen Castillo",
        ((_AF, 3), (_DI, 4), (_OM, 5)),
        "Runs the exception queue confidently and challenges the forecast.",
    ),
    AssessmentSpec("james", -100, "Owen Castillo", ((_AF, 3), (_DI, 3), (_OM, 4))),
    AssessmentSpec(
        "kenji",
        -300,
        "Owen Castillo",
        ((_AF, 5), (_DI, 4), (_OM, 1)),
        "Builds and runs the platform; no view of store operations.",
        "Not to hold accountability for business processes.",
    ),
    AssessmentSpec("nadia", -90, "Owen Castillo", ((_AF, 3), (_DI, 4), (_OM, 5))),
    AssessmentSpec(
        "tariq",
        -500,
        "Owen Castillo",
        ((_AF, 4), (_DI, 3), (_OM, 3)),
        "Assessed at the last engagement; due again.",
    ),
)

PLANS = (
    PlanSpec(
        "Move ownership of inventory replenishment from the data platform team to the "
        "category managers, with KPIs per category and an exception process.",
        "repl_fresh",
        (
            Stakeholder("Sofia Marino", "Category Manager, Fresh Foods", "New accountable owner"),
            Stakeholder("James Whitaker", "Category Manager, Home & Garden", "Second wave"),
            Stakeholder("Kenji Sato", "Data Platform Engineer", "Moves to responsible"),
            Stakeholder("Store managers", "Receivers", "Fewer emergency orders"),
        ),
        "Weekly category stand-up; monthly note to store managers on stock-outs and overstock.",
        100,
        ChangePlanStatus.COMPLETED,
        -60,
        (
            MilestoneSpec(
                "Name an accountable category manager per category",
                -155,
                MilestoneStatus.COMPLETED,
                -150,
            ),
            MilestoneSpec(
                "Exception process for orders beyond 2x forecast",
                -125,
                MilestoneStatus.COMPLETED,
                -128,
            ),
            MilestoneSpec("KPI dashboard per category", -95, MilestoneStatus.COMPLETED, -90),
            MilestoneSpec("Extend to Home & Garden", -60, MilestoneStatus.COMPLETED, -62),
        ),
    ),
    PlanSpec(
        "Consolidate the three customer-segmentation tools under one accountable marketing "
        "owner, so campaigns stop targeting the same customers with conflicting offers.",
        None,
        (
            Stakeholder("Elena Petrova", "Marketing Director", "Sponsor; names the owner"),
            Stakeholder("Chris Lam", "Marketing Analyst", "Runs the tools today"),
            Stakeholder("CRM and social campaign teams", "Users", "One segment catalogue"),
        ),
        "Kick-off with the Marketing Director; fortnightly update at the campaign meeting.",
        15,
        ChangePlanStatus.ACTIVE,
        90,
        (
            MilestoneSpec(
                "Inventory segmentation tools and the campaigns they feed",
                -14,
                MilestoneStatus.IN_PROGRESS,
            ),
            MilestoneSpec("Appoint an accountable marketing owner", 14),
            MilestoneSpec("Retire overlapping tools", 80),
            MilestoneSpec("Shared brief for the social agency", 30, MilestoneStatus.CANCELLED),
        ),
    ),
)

AGREEMENTS = (
    AgreementSpec(
        "Stockwise",
        "Replenish AI",
        -600,
        495,
        465,
        ("repl_fresh", "repl_home", "promo_forecast"),
        auto_renews=True,
        monitoring=Clause(
            P.SHARED, "Stockwise monitors forecast error; category managers review weekly."
        ),
        incident_response=Clause(P.VENDOR, "Order-run failures fixed before the next cut-off."),
        incident_hours=2,
        updates=Clause(P.VENDOR, "Monthly releases; retraining after each season."),
        data_governance=Clause(P.CLIENT, "Sales data processed in the EU only."),
    ),
    AgreementSpec(
        "Clustra",
        "SegmentPro",
        -700,
        30,
        None,
        ("seg_crm",),
        auto_renews=True,
        updates=Clause(P.VENDOR),
    ),
    AgreementSpec(
        "Loopwise",
        "LoyaltyLens",
        -250,
        480,
        None,
        ("seg_loyalty",),
        data_governance=Clause(P.SHARED, "Loyalty consent flags honoured."),
    ),
)

REVIEWS = (
    ReviewSpec(
        "repl_fresh",
        -15,
        "Sofia Marino",
        "Stock-outs down from 6.1% to 2.6%; overstock still above target on salads.",
        ReviewOutcome.ON_TRACK,
    ),
    ReviewSpec(
        "repl_fresh",
        -105,
        "Sofia Marino",
        "First review after handover: exception queue cleared daily.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "repl_home",
        -120,
        "James Whitaker",
        "Seasonal lines over-ordered in spring.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "search",
        -60,
        "Tariq Aziz",
        "Conversion below target after catalogue change.",
        ReviewOutcome.NEEDS_IMPROVEMENT,
    ),
    ReviewSpec(
        "descriptions", -10, "Tariq Aziz", "Throughput ahead of target.", ReviewOutcome.ON_TRACK
    ),
)

INCIDENTS = (
    IncidentSpec(
        "repl_fresh",
        "Strawberry stock-out during heatwave",
        IncidentSeverity.HIGH,
        -170,
        "Forecast ignored the weather feed; 60 stores out of stock for two days.",
        escalation_level=2,
        status=IncidentStatus.RESOLVED,
        resolved=-165,
    ),
    IncidentSpec(
        "seg_crm",
        "Conflicting offers to the same customers",
        IncidentSeverity.MEDIUM,
        -9,
        "12,000 customers received both a win-back discount and a VIP preview; "
        "SegmentPro and LoyaltyLens disagree on who is lapsed.",
    ),
    IncidentSpec(
        "repl_home",
        "Duplicate garden furniture orders",
        IncidentSeverity.LOW,
        -40,
        "Two order runs on one night after a retry.",
        status=IncidentStatus.RESOLVED,
        resolved=-39,
    ),
)

HARBOR = ClientSpec(
    name="Harbor Retail",
    industry="Retail (grocery and home)",
    size=ClientSize.LARGE,
    region="North America",
    status=EngagementStatus.ACTIVE,
    engagement_start=-200,
    engagement_end=None,
    lead_consultant="Owen Castillo",
    owners=OWNERS,
    processes=PROCESSES,
    assignments=ASSIGNMENTS,
    handovers=HANDOVERS,
    assessments=ASSESSMENTS,
    plans=PLANS,
    agreements=AGREEMENTS,
    reviews=REVIEWS,
    incidents=INCIDENTS,
)
