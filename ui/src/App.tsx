// The routes: the paths the API hands out (`permalink`, `links.organizationUrl`) included.
import { createBrowserRouter, Navigate, useParams } from "react-router-dom";
import { Layout } from "./components/Layout";
import { OrganizationPicker } from "./pages/OrganizationPicker";
import { IssueList } from "./pages/IssueList";
import { IssueDetail } from "./pages/IssueDetail";
import { Dashboard } from "./pages/Dashboard";
import { Projects } from "./pages/Projects";
import { ProjectSettings } from "./pages/ProjectSettings";
import { Teams } from "./pages/Teams";

function ToIssues() {
  const { org } = useParams();
  return <Navigate to={`/organizations/${org}/issues/`} replace />;
}

export const router = createBrowserRouter([
  { path: "/", element: <OrganizationPicker /> },
  { path: "/organizations/", element: <OrganizationPicker /> },
  {
    path: "/organizations/:org/",
    element: <Layout />,
    children: [
      { index: true, element: <ToIssues /> },
      { path: "issues/", element: <IssueList /> },
      { path: "issues/:issueId/", element: <IssueDetail /> },
      { path: "issues/:issueId/events/:eventId/", element: <IssueDetail /> },
      { path: "dashboards/", element: <Dashboard /> },
      { path: "projects/", element: <Projects /> },
      { path: "projects/:project/", element: <ProjectSettings /> },
      { path: "teams/", element: <Teams /> },
      { path: "*", element: <p className="empty">This page does not exist.</p> },
    ],
  },
  { path: "*", element: <p className="empty">This page does not exist.</p> },
]);
