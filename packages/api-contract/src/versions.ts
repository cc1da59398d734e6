/**
 * State machine versions and aliases (AWS API reference: PublishStateMachineVersion, ListStateMachineVersions,
 * DeleteStateMachineVersion, Create/Describe/Update/Delete/ListStateMachineAliases), in the SDK's shapes.
 * A version is an immutable snapshot of one revision of a state machine, named `<state machine ARN>:<n>`; an alias
 * (`<state machine ARN>:<name>`) routes each StartExecution to one of one or two versions by weight.
 */

export interface PublishStateMachineVersionInput {
  stateMachineArn: string;
  /** Publish only if the state machine's current revision is this one (else ConflictException). */
  revisionId?: string;
  description?: string;
}
export interface PublishStateMachineVersionOutput {
  creationDate: Date;
  stateMachineVersionArn: string;
}

export interface ListStateMachineVersionsInput {
  stateMachineArn: string;
  nextToken?: string;
  maxResults?: number;
}
export interface StateMachineVersionListItem {
  stateMachineVersionArn: string;
  creationDate: Date;
}
export interface ListStateMachineVersionsOutput {
  stateMachineVersions: StateMachineVersionListItem[];
  nextToken?: string;
}

export interface DeleteStateMachineVersionInput {
  stateMachineVersionArn: string;
}
export type DeleteStateMachineVersionOutput = Record<string, never>;

export interface RoutingConfigurationListItem {
  stateMachineVersionArn: string;
  /** Percentage of StartExecution requests routed to this version; the weights of a configuration sum to 100. */
  weight: number;
}

export interface CreateStateMachineAliasInput {
  name: string;
  routingConfiguration: RoutingConfigurationListItem[];
  description?: string;
}
export interface CreateStateMachineAliasOutput {
  stateMachineAliasArn: string;
  creationDate: Date;
}

export interface DescribeStateMachineAliasInput {
  stateMachineAliasArn: string;
}
export interface DescribeStateMachineAliasOutput {
  stateMachineAliasArn: string;
  name: string;
  description?: string;
  routingConfiguration: RoutingConfigurationListItem[];
  creationDate: Date;
  updateDate: Date;
}

export interface UpdateStateMachineAliasInput {
  stateMachineAliasArn: string;
  description?: string;
  routingConfiguration?: RoutingConfigurationListItem[];
}
export interface UpdateStateMachineAliasOutput {
  updateDate: Date;
}

export interface DeleteStateMachineAliasInput {
  stateMachineAliasArn: string;
}
export type DeleteStateMachineAliasOutput = Record<string, never>;

export interface ListStateMachineAliasesInput {
  stateMachineArn: string;
  nextToken?: string;
  maxResults?: number;
}
export interface StateMachineAliasListItem {
  stateMachineAliasArn: string;
  creationDate: Date;
}
export interface ListStateMachineAliasesOutput {
  stateMachineAliases: StateMachineAliasListItem[];
  nextToken?: string;
}

/** Shapes of the version and alias actions, merged into `SfnActionShapes`. */
export interface VersionAliasActionShapes {
  PublishStateMachineVersion: [PublishStateMachineVersionInput, PublishStateMachineVersionOutput];
  ListStateMachineVersions: [ListStateMachineVersionsInput, ListStateMachineVersionsOutput];
  DeleteStateMachineVersion: [DeleteStateMachineVersionInput, DeleteStateMachineVersionOutput];
  CreateStateMachineAlias: [CreateStateMachineAliasInput, CreateStateMachineAliasOutput];
  DescribeStateMachineAlias: [DescribeStateMachineAliasInput, DescribeStateMachineAliasOutput];
  UpdateStateMachineAlias: [UpdateStateMachineAliasInput, UpdateStateMachineAliasOutput];
  DeleteStateMachineAlias: [DeleteStateMachineAliasInput, DeleteStateMachineAliasOutput];
  ListStateMachineAliases: [ListStateMachineAliasesInput, ListStateMachineAliasesOutput];
}

/**
 * The backend methods of the version and alias actions. Optional: a backend without them (the API layer's test
 * backend) answers these actions with UnknownOperationException; the engine implements them all.
 */
export interface VersionAliasBackend {
  publishStateMachineVersion?(input: PublishStateMachineVersionInput): Promise<PublishStateMachineVersionOutput>;
  listStateMachineVersions?(input: ListStateMachineVersionsInput): Promise<ListStateMachineVersionsOutput>;
  deleteStateMachineVersion?(input: DeleteStateMachineVersionInput): Promise<DeleteStateMachineVersionOutput>;
  createStateMachineAlias?(input: CreateStateMachineAliasInput): Promise<CreateStateMachineAliasOutput>;
  describeStateMachineAlias?(input: DescribeStateMachineAliasInput): Promise<DescribeStateMachineAliasOutput>;
  updateStateMachineAlias?(input: UpdateStateMachineAliasInput): Promise<UpdateStateMachineAliasOutput>;
  deleteStateMachineAlias?(input: DeleteStateMachineAliasInput): Promise<DeleteStateMachineAliasOutput>;
  listStateMachineAliases?(input: ListStateMachineAliasesInput): Promise<ListStateMachineAliasesOutput>;
}
