import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { INSPECTIONS, PHASES } from './improvement/improvement.decider';
import { PROPERTY_STATUSES } from './property/property.decider';

/**
 * What the land-trust routes answer, for the OpenAPI document: the contract clients read. Amounts
 * are integer minor units; business dates `YYYY-MM-DD`, instants ISO 8601 in UTC (`Z`).
 */

const IMPROVEMENT_STATUSES = ['planned', 'approved', 'completed', 'cancelled'];
const Position = () => ApiProperty({ description: 'Global log position of the write (also the `Ledger-Position` header).', type: 'integer' });
const Minor = (description?: string) => ApiProperty({ type: 'integer', ...(description ? { description } : {}) });

export class PropertyWrittenDto {
  @ApiProperty({ format: 'uuid' }) propertyId!: string;
  @Position() position!: number;
}

export class GroundLeaseViewDto {
  @ApiProperty({ format: 'uuid' }) leaseId!: string;
  @ApiProperty({ example: 'hh-7f3a9c' }) householdId!: string;
  @ApiProperty({ format: 'date' }) startsOn!: string;
  @ApiProperty({ type: 'integer' }) termYears!: number;
}

export class StatusChangeViewDto {
  @ApiProperty({ enum: PROPERTY_STATUSES }) from!: string;
  @ApiProperty({ enum: PROPERTY_STATUSES }) to!: string;
  @ApiPropertyOptional() reason?: string;
  @ApiProperty({ format: 'date-time' }) changedAt!: string;
}

export class PropertyViewDto {
  @ApiProperty({ format: 'uuid' }) propertyId!: string;
  @ApiProperty() address!: string;
  @ApiProperty() parcelId!: string;
  @ApiProperty({ format: 'date' }) acquiredOn!: string;
  @ApiProperty({ enum: PROPERTY_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiPropertyOptional({ type: GroundLeaseViewDto }) groundLease?: GroundLeaseViewDto;
  @Minor('Capital-improvement credits recorded on its completed projects.') resaleCreditMinor!: number;
  @ApiPropertyOptional({ type: [StatusChangeViewDto], description: 'Only on the single-property read.' }) statusHistory?: StatusChangeViewDto[];
}

export class PropertyListDto {
  @ApiProperty({ type: [PropertyViewDto] }) items!: PropertyViewDto[];
  @ApiPropertyOptional({ description: 'Present when there may be more: pass it as `after`.' }) next?: string;
}

export class ImprovementWrittenDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ enum: IMPROVEMENT_STATUSES }) status!: string;
  @Position() position!: number;
}

export class ChargeDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() fundCode!: string;
  @Minor() amountMinor!: number;
}

export class ExpensePaidDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ format: 'uuid' }) expenseId!: string;
  @ApiProperty({ type: [ChargeDto], description: 'Which funds paid how much, in funding-line order.' }) charges!: ChargeDto[];
  @Position() position!: number;
}

export class ExpenseReversedDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ format: 'uuid' }) expenseId!: string;
  @ApiProperty({ enum: ['reversed'] }) status!: string;
  @ApiProperty({ description: 'True while the work goes on (the money is held again), false once it ended (released).' }) restoredToHolds!: boolean;
  @Position() position!: number;
}

export class BudgetIncreaseWrittenDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ format: 'uuid' }) increaseId!: string;
  @ApiProperty({ enum: ['requested', 'approved'] }) status!: string;
  @Position() position!: number;
}

export class ImprovementEndedDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ enum: ['completed', 'cancelled'] }) status!: string;
  @Minor('What was allocated and not spent, released to the funds.') releasedMinor!: number;
  @Position() position!: number;
}

export class ResaleCreditWrittenDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @Minor() resaleCreditMinor!: number;
  @Position() position!: number;
}

export class ImprovementSummaryDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ format: 'uuid' }) propertyId!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: PHASES }) phase!: string;
  @Minor() estimateMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ enum: IMPROVEMENT_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time', description: 'When the plan was recorded.' }) plannedAt!: string;
  @ApiProperty({ format: 'date', description: 'The plan\'s business day (its `effectiveAt` when recorded after the fact).' }) plannedOn!: string;
}

export class ImprovementListDto {
  @ApiProperty({ type: [ImprovementSummaryDto] }) items!: ImprovementSummaryDto[];
  @ApiPropertyOptional({ description: 'Present when there may be more: pass it as `after`.' }) next?: string;
}

export class AllocationLineDto {
  @ApiProperty() holdId!: string;
  @ApiProperty({ description: '`plan`, or the id of the budget increase.' }) source!: string;
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() fundCode!: string;
  @Minor() amountMinor!: number;
  @ApiProperty({ format: 'date', description: 'The business day of the approval: the line pays from then.' }) approvedOn!: string;
}

export class ExpenseReversalViewDto {
  @ApiProperty() reason!: string;
  @ApiProperty({ format: 'date-time' }) effectiveAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty() restoredToHolds!: boolean;
}

export class ExpenseViewDto {
  @ApiProperty({ format: 'uuid' }) expenseId!: string;
  @ApiProperty() vendor!: string;
  @ApiProperty() invoiceReference!: string;
  @Minor() amountMinor!: number;
  @ApiProperty() currency!: string;
  @ApiProperty({ format: 'date-time', description: 'Date paid.' }) effectiveAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({ type: [ChargeDto] }) charges!: ChargeDto[];
  @ApiPropertyOptional({ type: ExpenseReversalViewDto }) reversal?: ExpenseReversalViewDto;
}

export class PendingIncreaseDto {
  @ApiProperty({ format: 'uuid' }) increaseId!: string;
  @Minor() amountMinor!: number;
  @ApiProperty({ type: [ChargeDto] }) fundingLines!: ChargeDto[];
  @ApiProperty() reason!: string;
  @ApiProperty() requestedBy!: string;
}

export class ImprovementViewDto extends ImprovementSummaryDto {
  @ApiProperty() plannedBy!: string;
  @ApiProperty({ type: [ChargeDto], description: 'The funding lines as planned.' }) fundingLines!: ChargeDto[];
  @ApiPropertyOptional() approvedBy?: string;
  @ApiPropertyOptional({ format: 'date-time', description: 'When the approval was recorded.' }) approvedAt?: string;
  @ApiPropertyOptional({ format: 'date', description: 'The approval\'s business day: the allocation counts from it.' }) approvedOn?: string;
  @ApiProperty({ type: [AllocationLineDto] }) allocation!: AllocationLineDto[];
  @ApiProperty({ type: [PendingIncreaseDto] }) pendingBudgetIncreases!: PendingIncreaseDto[];
  @ApiProperty({ type: [ExpenseViewDto] }) expenses!: ExpenseViewDto[];
  @ApiPropertyOptional({ format: 'date' }) completedOn?: string;
  @ApiPropertyOptional({ enum: INSPECTIONS }) inspection?: string;
  @ApiPropertyOptional() inspectionNotes?: string;
  @ApiPropertyOptional() cancelReason?: string;
  @ApiPropertyOptional({ type: 'integer' }) resaleCreditMinor?: number;
}

export class FundFiguresDto {
  @ApiProperty({ format: 'uuid' }) fundId!: string;
  @ApiProperty() fundCode!: string;
  @ApiProperty() currency!: string;
  @Minor() allocatedMinor!: number;
  @Minor() spentMinor!: number;
  @Minor() releasedMinor!: number;
  @Minor('Still held on the fund for this work: allocated − spent − released.') heldMinor!: number;
}

export class VendorSpendingDto {
  @ApiProperty() vendor!: string;
  @Minor() spentMinor!: number;
}

export class ProjectFiguresDto {
  @ApiProperty({ format: 'uuid' }) improvementId!: string;
  @ApiProperty({ format: 'uuid' }) propertyId!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ enum: PHASES }) phase!: string;
  @ApiProperty({ enum: IMPROVEMENT_STATUSES }) status!: string;
  @ApiProperty() currency!: string;
  @Minor() estimateMinor!: number;
  @Minor() allocatedMinor!: number;
  @Minor() spentMinor!: number;
  @Minor() releasedMinor!: number;
  @Minor('Allocated and neither spent nor released.') remainingMinor!: number;
  @Minor('Spent − estimate; negative is under budget.') varianceMinor!: number;
  @ApiPropertyOptional({ format: 'date' }) completedOn?: string;
  @ApiPropertyOptional({ enum: INSPECTIONS }) inspection?: string;
  @ApiPropertyOptional({ type: 'integer' }) resaleCreditMinor?: number;
  @ApiProperty({ type: [VendorSpendingDto] }) byVendor!: VendorSpendingDto[];
  @ApiProperty({ type: [FundFiguresDto] }) byFund!: FundFiguresDto[];
}

export class TotalsDto {
  @ApiProperty() currency!: string;
  @Minor() estimateMinor!: number;
  @Minor() allocatedMinor!: number;
  @Minor() spentMinor!: number;
  @Minor() releasedMinor!: number;
  @Minor() remainingMinor!: number;
  @Minor() varianceMinor!: number;
}

export class PhaseFiguresDto {
  @ApiProperty({ enum: PHASES }) phase!: string;
  @ApiProperty() currency!: string;
  @Minor() estimateMinor!: number;
  @Minor() spentMinor!: number;
  @Minor() varianceMinor!: number;
}

export class VendorFiguresDto {
  @ApiProperty() vendor!: string;
  @ApiProperty() currency!: string;
  @Minor() spentMinor!: number;
}

class RollupDto {
  @ApiProperty({ type: [TotalsDto], description: 'Per currency; currencies are never mixed.' }) totals!: TotalsDto[];
  @ApiProperty({ type: [PhaseFiguresDto] }) byPhase!: PhaseFiguresDto[];
  @ApiProperty({ type: [VendorFiguresDto] }) byVendor!: VendorFiguresDto[];
  @ApiProperty({ type: [FundFiguresDto] }) byFund!: FundFiguresDto[];
}

export class PropertyReportDto extends RollupDto {
  @ApiProperty({ format: 'uuid' }) propertyId!: string;
  @ApiProperty() address!: string;
  @ApiProperty() parcelId!: string;
  @ApiProperty({ enum: PROPERTY_STATUSES, description: 'The property status as of the date.' }) status!: string;
  @ApiPropertyOptional({ format: 'date' }) asOf?: string;
  @ApiProperty({ type: [ProjectFiguresDto] }) projects!: ProjectFiguresDto[];
}

export class PortfolioPropertyDto {
  @ApiProperty({ format: 'uuid' }) propertyId!: string;
  @ApiProperty() address!: string;
  @ApiProperty() parcelId!: string;
  @ApiProperty({ type: 'integer', description: 'Number of projects planned by the date.' }) projects!: number;
  @ApiProperty({ type: [TotalsDto] }) totals!: TotalsDto[];
}

export class MonthSpendingDto {
  @ApiProperty({ example: '2026-09' }) month!: string;
  @ApiProperty() currency!: string;
  @Minor() spentMinor!: number;
}

export class PeriodSpendingRowDto {
  @ApiProperty({ example: 'FY2026-Q3' }) period!: string;
  @ApiProperty() currency!: string;
  @Minor() spentMinor!: number;
}

export class PeriodSpendingDto {
  @ApiProperty({ example: '2026-09' }) period!: string;
  @ApiProperty({ format: 'date' }) start!: string;
  @ApiProperty({ format: 'date', description: 'First day after the period.' }) end!: string;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '`{currency, spentMinor}` rows.' }) totals!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '`{propertyId, currency, spentMinor}` rows.' }) byProperty!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '`{phase, currency, spentMinor}` rows.' }) byPhase!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '`{vendor, currency, spentMinor}` rows.' }) byVendor!: object[];
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: '`{fundId, fundCode, currency, spentMinor}` rows.' }) byFund!: object[];
}

export class PortfolioReportDto extends RollupDto {
  @ApiPropertyOptional({ format: 'date' }) asOf?: string;
  @ApiProperty({ type: [PortfolioPropertyDto] }) properties!: PortfolioPropertyDto[];
  @ApiProperty({ type: [MonthSpendingDto] }) byMonth!: MonthSpendingDto[];
  @ApiProperty({ type: [PeriodSpendingRowDto] }) byQuarter!: PeriodSpendingRowDto[];
  @ApiProperty({ type: [PeriodSpendingRowDto] }) byFiscalYear!: PeriodSpendingRowDto[];
  @ApiPropertyOptional({ type: PeriodSpendingDto, description: 'With `?period=`: what was spent within it.' }) period?: PeriodSpendingDto;
}
