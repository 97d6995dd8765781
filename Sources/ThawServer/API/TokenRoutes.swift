import HTTPTypes
import Hummingbird
import ThawCore
import ThawStorage

struct NewTokenRequest: Codable { var name: String; var expiresAt: Timestamp?; var userId: ID<User>? }
struct CreatedToken: ResponseCodable { var token: APIToken; var secret: String }

/// API tokens: a user makes their own; an administrator may make one for a
/// user of their organisation. The secret is shown once.
struct TokenRoutes: APIRouteGroup {
    let store: ThawStore
    let configuration: ServerConfiguration

    func register(on routes: DescribedRoutes<CallerContext>) {
        routes.add(
            .init(.get, "tokens", id: "listTokens", tag: "auth", summary: "My API tokens", answer: .list(APIToken.self)),
            use: list)
        routes.add(
            .init(
                .post, "tokens", id: "createToken", tag: "auth", summary: "Create an API token (secret shown once)", body: NewTokenRequest.self,
                success: 201, answer: .one(CreatedToken.self)),
            use: create)
        routes.add(
            .init(.delete, "tokens/:tokenId", id: "revokeToken", tag: "auth", summary: "Revoke an API token", success: 204),
            use: revoke)
    }

    @Sendable func list(_ request: Request, context: CallerContext) async throws -> ItemList<APIToken> {
        let principal = context.principal
        return ItemList(try await store.tokens(user: principal.user.id))
    }

    @Sendable func create(_ request: Request, context: CallerContext) async throws -> EditedResponse<CreatedToken> {
        let actor = context.principal.actor
        let input = try await body(NewTokenRequest.self, request)
        let (token, secret) = try await store.createToken(
            user: input.userId ?? actor.userId, name: input.name,
            expiresAt: input.expiresAt, by: actor)
        return EditedResponse(status: .created, response: CreatedToken(token: token, secret: secret))
    }

    @Sendable func revoke(_ request: Request, context: CallerContext) async throws -> HTTPResponse.Status {
        let actor = context.principal.actor
        try await store.revokeToken(try context.id("tokenId"), by: actor)
        return .noContent
    }
}
